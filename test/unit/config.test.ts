import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { openEmbedded } from '../../src/db/client.ts';
import { resolveJwtSecret } from '../../src/secret.ts';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'recomp-unit-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Single sign-on set up completely. */
const SSO = {
  PUBLIC_URL: 'https://recomp.example.com',
  OIDC_ISSUER: 'https://idp.example.com/realms/main',
  OIDC_CLIENT_ID: 'recomp',
  OIDC_CLIENT_SECRET: 'secret',
};

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8000,
      databaseUrl: null,
      databasePoolSize: 20,
      accessTokenTtlSeconds: 1800,
      refreshTokenTtlSeconds: 7 * 86_400,
      argon2: { memoryCost: 12_288, timeCost: 3, parallelism: 1 },
      logFile: null,
    });
    expect(config.argon2.concurrency).toBe(Math.max(1, availableParallelism() - 1));
    expect(loadConfig({ ARGON2_CONCURRENCY: '3' }).argon2.concurrency).toBe(3);
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.imports).toEqual({ maxBytes: 1024 ** 3, spoolDir: path.join(tmpdir(), 'recomp-imports'), staleAfterMs: 30_000 });
    expect(loadConfig({ IMPORT_SPOOL_DIR: 'spool', IMPORT_STALE_SECONDS: '3' }).imports).toMatchObject({
      spoolDir: path.resolve('spool'),
      staleAfterMs: 3000,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_POOL_SIZE: '0' }, /DATABASE_POOL_SIZE/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET/],
    [{ DATABASE_POOL_MODE: 'statement' }, /DATABASE_POOL_MODE/],
    [{ ARGON2_CONCURRENCY: '0' }, /ARGON2_CONCURRENCY/],
    [{ DATABASE_MIGRATION_URL: 'postgres://h/db' }, /DATABASE_MIGRATION_URL needs DATABASE_URL/],
    [{ DATABASE_URL: 'postgres://h/db', DATABASE_MIGRATION_URL: 'http://h' }, /DATABASE_MIGRATION_URL/],
    [{ MIGRATE_ON_START: 'yes' }, /MIGRATE_ON_START/],
    [{ REDIS_URL: '127.0.0.1:6379' }, /REDIS_URL/],
    [{ DATABASE_REPLICA_URLS: 'postgres://r1/db' }, /DATABASE_REPLICA_URLS needs DATABASE_URL/],
    [{ DATABASE_URL: 'postgres://h/db', DATABASE_REPLICA_URLS: 'postgres://r1/db,r2/db' }, /DATABASE_REPLICA_URLS/],
    [{ METRICS_PORT: '8000' }, /METRICS_PORT must differ from PORT/],
    [{ METRICS_PORT: 'nine' }, /METRICS_PORT/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET is required/],
    [{ IMPORT_MAX_BYTES: '100' }, /IMPORT_MAX_BYTES/],
    [{ IMPORT_STALE_SECONDS: '1' }, /IMPORT_STALE_SECONDS/],
    [{ BACKUP_EVERY_HOURS: '6' }, /BACKUP_EVERY_HOURS needs BACKUP_DIR/],
    [{ BACKUP_KEEP: '3' }, /BACKUP_KEEP needs BACKUP_DIR/],
    [{ BACKUP_DIR: 'b', BACKUP_EVERY_HOURS: '0' }, /BACKUP_EVERY_HOURS/],
    [{ BACKUP_DIR: 'b', BACKUP_EVERY_HOURS: '-1' }, /BACKUP_EVERY_HOURS/],
    [{ BACKUP_DIR: 'b', BACKUP_EVERY_HOURS: 'daily' }, /BACKUP_EVERY_HOURS/],
    [{ BACKUP_DIR: 'b', BACKUP_KEEP: '0' }, /BACKUP_KEEP/],
    [{ PUBLIC_URL: 'https://recomp.example.com?x=1' }, /PUBLIC_URL/],
    [{ PUBLIC_URL: 'https://user:secret@recomp.example.com' }, /PUBLIC_URL/],
    [{ OIDC_CLIENT_ID: 'recomp' }, /OIDC_CLIENT_ID needs OIDC_ISSUER/],
    [{ ...SSO, PUBLIC_URL: '' }, /OIDC_ISSUER needs PUBLIC_URL/],
    [{ ...SSO, OIDC_CLIENT_SECRET: '' }, /OIDC_CLIENT_SECRET/],
    [{ ...SSO, OIDC_ISSUER: 'http://idp.example.com' }, /OIDC_ISSUER must be an https/],
    [{ ...SSO, OIDC_ISSUER: 'not a url' }, /OIDC_ISSUER/],
    [{ ...SSO, OIDC_SCOPES: 'email profile' }, /OIDC_SCOPES must include openid/],
    [{ ...SSO, OIDC_ALLOW_SIGNUP: 'maybe' }, /OIDC_ALLOW_SIGNUP/],
    [{ SMTP_URL: 'http://mail.example.com' }, /SMTP_URL must be an smtp:\/\/ .* or smtps:\/\//],
    [{ SMTP_URL: 'mail.example.com:25' }, /SMTP_URL/],
    [{ SMTP_URL: 'smtp://' }, /SMTP_URL/],
    [{ MAIL_FROM: 'not an address' }, /MAIL_FROM/],
    [{ MAIL_FROM: 'a@example.com\r\nBcc: b@example.com' }, /MAIL_FROM/],
    [{ PUBLIC_URL: 'recomp.example.com' }, /PUBLIC_URL/],
    [{ PUBLIC_URL: 'ftp://recomp.example.com' }, /PUBLIC_URL/],
    [{ PUBLIC_URL: 'https://recomp.example.com/?next=x' }, /PUBLIC_URL/],
    [{ MAIL_MAX_ATTEMPTS: '0' }, /MAIL_MAX_ATTEMPTS/],
    [{ PASSWORD_RESET_MAX_PER_ACCOUNT: 'many' }, /PASSWORD_RESET_MAX_PER_ACCOUNT/],
  ])('refuses %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('turns mail on only with SMTP_URL, MAIL_FROM and PUBLIC_URL, links starting with PUBLIC_URL', () => {
    const mail = {
      SMTP_URL: 'smtps://user:p%40ss@mail.example.com:465',
      MAIL_FROM: 'Recomp <recomp@example.com>',
      PUBLIC_URL: 'https://recomp.example.com/',
    };
    expect(loadConfig(mail).mail).toMatchObject({ smtpUrl: mail.SMTP_URL, from: mail.MAIL_FROM, publicUrl: 'https://recomp.example.com' });
    for (const missing of Object.keys(mail)) expect(loadConfig({ ...mail, [missing]: '' }).mail).toBeNull();
    expect(loadConfig({}).passwordResetLimit).toEqual({ perAddress: 20, perAccount: 3, windowMs: 3_600_000 });
  });

  it('migrates over DATABASE_URL on start unless told otherwise', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://pool/db' })).toMatchObject({
      databasePoolMode: 'session',
      databaseMigrationUrl: 'postgres://pool/db',
      migrateOnStart: true,
    });
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://pool/db',
        DATABASE_MIGRATION_URL: 'postgres://direct/db',
        DATABASE_POOL_MODE: 'transaction',
        MIGRATE_ON_START: 'false',
      }),
    ).toMatchObject({ databasePoolMode: 'transaction', databaseMigrationUrl: 'postgres://direct/db', migrateOnStart: false });
    expect(
      loadConfig({ DATABASE_URL: 'postgres://p/db', DATABASE_REPLICA_URLS: ' postgres://r1/db, postgresql://r2/db ' }).databaseReplicaUrls,
    ).toEqual(['postgres://r1/db', 'postgresql://r2/db']);
  });

  it('backs up on a schedule only with BACKUP_DIR: daily, keeping 14, unless told otherwise', () => {
    expect(loadConfig({}).backup).toBeNull();
    expect(loadConfig({ BACKUP_DIR: 'backups' }).backup).toEqual({ dir: path.resolve('backups'), everyMs: 24 * 3_600_000, keep: 14 });
    expect(loadConfig({ BACKUP_DIR: 'b', BACKUP_EVERY_HOURS: '0.001', BACKUP_KEEP: '3' }).backup).toMatchObject({ everyMs: 3600, keep: 3 });
    expect(loadConfig({ BACKUP_DIR: 'b', BACKUP_EVERY_HOURS: '6' }).backup).toMatchObject({ everyMs: 6 * 3_600_000 });
  });

  it('has single sign-on only with an issuer, a client and PUBLIC_URL; sign-up and linking by email off unless set', () => {
    expect(loadConfig({}).oidc).toBeNull();
    expect(loadConfig({}).publicUrl).toBeNull();
    expect(loadConfig({ PUBLIC_URL: 'https://recomp.example.com/app' }).publicUrl).toBe('https://recomp.example.com/app');
    expect(loadConfig(SSO).oidc).toEqual({
      issuer: 'https://idp.example.com/realms/main',
      clientId: 'recomp',
      clientSecret: 'secret',
      scopes: 'openid email profile',
      name: 'single sign-on',
      allowSignup: false,
      linkVerifiedEmail: false,
      redirectUri: 'https://recomp.example.com/api/v1/auth/oidc/callback',
    });
    expect(
      loadConfig({ ...SSO, OIDC_NAME: 'Keycloak', OIDC_ALLOW_SIGNUP: 'true', OIDC_LINK_VERIFIED_EMAIL: '1', OIDC_SCOPES: 'openid  email' })
        .oidc,
    ).toMatchObject({ name: 'Keycloak', allowSignup: true, linkVerifiedEmail: true, scopes: 'openid email' });
    expect(loadConfig({ ...SSO, OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.issuer).toBe('http://127.0.0.1:9000');
  });

  it('starts in production with a strong secret', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(48) }).jwtSecret).toBe('x'.repeat(48));
  });
});

describe('the embedded default', () => {
  it('creates a secret in the data folder once, private to the owner, and reuses it', async () => {
    const dataDir = await tempDir();
    const config = loadConfig({ RECOMP_DATA_DIR: dataDir });
    const first = await resolveJwtSecret(config);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(await resolveJwtSecret(config)).toBe(first);
    expect((await readFile(path.join(dataDir, 'jwt-secret'), 'utf8')).trim()).toBe(first);
    expect((await stat(path.join(dataDir, 'jwt-secret'))).mode & 0o077).toBe(0);
    expect(await resolveJwtSecret(loadConfig({ RECOMP_DATA_DIR: dataDir, JWT_SECRET: 'y'.repeat(40) }))).toBe('y'.repeat(40));
  });

  it('holds a lock on the data folder: a second opener is refused, and may open after the first closes', async () => {
    const dataDir = await tempDir();
    const first = await openEmbedded(dataDir);
    await expect(openEmbedded(dataDir)).rejects.toThrow(/in use by another process/);
    await first.ping();
    await first.close();
    const second = await openEmbedded(dataDir);
    await second.ping();
    await second.close();
  }, 60_000);
});
