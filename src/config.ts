/**
 * Every setting of the service, read from the environment once at start and validated.
 * A bad value stops the process with a message naming the variable and what it accepts.
 */
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** PostgreSQL server; when absent the embedded PGlite database in `dataDir` is used. */
  databaseUrl: string | null;
  databasePoolSize: number;
  /** `transaction` behind a pooler in transaction mode (PgBouncer): no named prepared statements, no session settings. */
  databasePoolMode: 'session' | 'transaction';
  /** A connection used only for migrations (best direct, not through a pooler); defaults to `databaseUrl`. */
  databaseMigrationUrl: string | null;
  /** Run the migrations (under an advisory lock) before listening; off when a job runs `npm run db:migrate`. */
  migrateOnStart: boolean;
  /** Read replicas of `databaseUrl`: users' reads go there once a replica has replayed their last write. */
  databaseReplicaUrls: string[];
  dataDir: string;
  /** Null when unset: the embedded default then keeps a generated secret in `dataDir`. */
  jwtSecret: string | null;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** argon2id's parameters, how many hashes may run at once, and how many may wait (then 503). */
  argon2: { memoryCost: number; timeCost: number; parallelism: number; concurrency: number; maxWaiting: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  logFile: string | null;
  shutdownTimeoutMs: number;
  /** Origins allowed to call the API from a browser (CORS). */
  allowedOrigins: string[];
  /** Trust X-Forwarded-For from this many proxies in front (0: use the socket's address). */
  trustProxyHops: number;
  http: {
    bodyLimitBytes: number;
    jsonMaxDepth: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    /** A request not answered by then gets a 503 (e.g. the database stopped answering). */
    responseTimeoutMs: number;
  };
  /** Requests per window per caller (user when signed in, else address); 0 turns the limit off. */
  rateLimit: { max: number; windowMs: number };
  /** Failed sign-ins tolerated per account and per client address within the window. */
  loginLimit: { perAccount: number; perAddress: number; windowMs: number };
  /** Registrations per client address within the window; 0 turns the limit off. */
  signupLimit: { perAddress: number; windowMs: number };
  database: { connectTimeoutSeconds: number; statementTimeoutMs: number };
  /** How long a session found active is trusted before it is checked again (logout takes effect within it). */
  sessionCheckTtlMs: number;
  idempotencyTtlMs: number;
  /** Redis shared by every instance (rate and sign-in limits); null: kept in this process (one instance). */
  redisUrl: string | null;
  /** Serve /metrics on this port only (bound to `host`); null: on the main port. */
  metricsPort: number | null;
  /** Imports of a person's history from other apps' files (docs/DESIGN.md, 'Imports'; docs/DEPLOY.md, 'Imports'). */
  imports: {
    /** The largest file taken (413 past it). */
    maxBytes: number;
    /** Where uploads are kept while they are imported: a folder of this instance's own. */
    spoolDir: string;
    /** A running import whose heartbeat is older than this is taken to have stopped with its instance. */
    staleAfterMs: number;
  };
  /** Backups the service writes itself (docs/DEPLOY.md, 'Scheduled backups'); null without BACKUP_DIR. */
  backup: { dir: string; everyMs: number; keep: number } | null;
  /** The address people reach the service at (PUBLIC_URL): absolute http(s), no trailing slash; null when unset. */
  publicUrl: string | null;
  /** Single sign-on with an OpenID Connect provider (docs/DEPLOY.md, 'Single sign-on'); null without OIDC_ISSUER. */
  oidc: OidcConfig | null;
  /**
   * Sending mail (docs/DEPLOY.md, 'Mail'); null unless SMTP_URL, MAIL_FROM and PUBLIC_URL are all
   * set, and then every feature that needs mail (the password reset) answers 501.
   */
  mail: MailConfig | null;
  /** Password-reset requests per client address and per target address within the window; 0 turns a limit off. */
  passwordResetLimit: { perAddress: number; perAccount: number; windowMs: number };
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  /** The provider's name on the sign-in button. */
  name: string;
  /** Whether someone the provider knows but Recomp does not may create an account. */
  allowSignup: boolean;
  /** Whether a first sign-in whose email the provider verified joins the account with that email without its password. */
  linkVerifiedEmail: boolean;
  /** `${PUBLIC_URL}/api/v1/auth/oidc/callback`: never built from a request's Host header. */
  redirectUri: string;
}

export interface MailConfig {
  /** smtp:// or smtps://, with the credentials in it. */
  smtpUrl: string;
  /** The From of every mail: `address@example.com` or `Name <address@example.com>`. */
  from: string;
  /** Where people reach the service, without a trailing slash: links in mails start with it. */
  publicUrl: string;
  /** Tries of one mail before it is marked failed. */
  maxAttempts: number;
  /** The wait before the first retry; it doubles with each (with jitter), up to an hour. */
  retryBaseMs: number;
  /** How often the sender looks for due mail when nothing in this process woke it. */
  pollMs: number;
  /** How long sent and failed mails stay in the outbox as history. */
  keepMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** HS256 wants a key at least as long as its 256-bit output (RFC 7518 §3.2); 32 characters is the floor we accept. */
export const MIN_SECRET_LENGTH = 32;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** A positive decimal such as `24` or `0.5`, between `min` and `max`. */
function decimal(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw new ConfigError(`${name} must be a number between ${min} and ${max}, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function postgresUrl(env: Env, name: string): string | null {
  const url = text(env, name);
  if (url !== null && !/^postgres(ql)?:\/\//.test(url))
    throw new ConfigError(`${name} must be a postgres:// or postgresql:// connection URL`);
  return url;
}

function text(env: Env, name: string): string | null {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? null : raw.trim();
}

/** A comma-separated list or a JSON array of origins (README.md, 'Configuration': ALLOWED_ORIGINS). */
function origins(env: Env, name: string, fallback: string[]): string[] {
  const raw = text(env, name);
  if (raw === null) return fallback;
  let list: unknown;
  try {
    list = raw.startsWith('[')
      ? JSON.parse(raw)
      : raw
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean);
  } catch {
    throw new ConfigError(`${name} must be a comma-separated list or a JSON array of origins`);
  }
  if (!Array.isArray(list) || !list.every((o) => typeof o === 'string' && (o === '*' || /^https?:\/\/[^/\s]+$/.test(o)))) {
    throw new ConfigError(`${name} must list origins like https://app.example.com (scheme and host, no path), or *`);
  }
  return list as string[];
}

/**
 * PUBLIC_URL, the address people reach the service at: an absolute http(s) URL without query,
 * fragment or credentials, returned without its trailing slashes. Links in mails and single
 * sign-on's redirect URI are built from it, never from a request's Host header.
 */
function publicUrl(env: Env, name: string): string | null {
  const raw = text(env, name);
  if (raw === null) return null;
  const url = URL.parse(raw);
  if (url === null || !['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '' || url.username !== '')
    throw new ConfigError(
      `${name} must be the http:// or https:// address people reach the service at, without a query or fragment, such as https://recomp.example.com, got "${raw}"`,
    );
  return raw.replace(/\/+$/, '');
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');

  const databaseUrl = postgresUrl(env, 'DATABASE_URL');
  const databaseMigrationUrl = postgresUrl(env, 'DATABASE_MIGRATION_URL');
  if (databaseMigrationUrl !== null && databaseUrl === null) {
    throw new ConfigError('DATABASE_MIGRATION_URL needs DATABASE_URL: the embedded database migrates itself');
  }

  const jwtSecret = env.JWT_SECRET === undefined || env.JWT_SECRET === '' ? null : env.JWT_SECRET;
  if (jwtSecret !== null && jwtSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters (generate one with: openssl rand -base64 48)`);
  }
  if (jwtSecret === null && nodeEnv === 'production') {
    throw new ConfigError(
      `JWT_SECRET is required when NODE_ENV=production: set a random secret of at least ${MIN_SECRET_LENGTH} characters (openssl rand -base64 48)`,
    );
  }

  const databaseReplicaUrls = (text(env, 'DATABASE_REPLICA_URLS') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (databaseReplicaUrls.some((u) => !/^postgres(ql)?:\/\//.test(u))) {
    throw new ConfigError('DATABASE_REPLICA_URLS must be a comma-separated list of postgres:// or postgresql:// URLs');
  }
  if (databaseReplicaUrls.length > 0 && databaseUrl === null)
    throw new ConfigError('DATABASE_REPLICA_URLS needs DATABASE_URL (the primary)');

  const redisUrl = text(env, 'REDIS_URL');
  if (redisUrl !== null && !/^rediss?:\/\/./.test(redisUrl)) throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');

  const logFile = text(env, 'LOG_FILE');
  const port = integer(env, 'PORT', 8000, 0, 65535);
  const metricsPort = text(env, 'METRICS_PORT') === null ? null : integer(env, 'METRICS_PORT', 0, 0, 65535);
  if (metricsPort !== null && metricsPort !== 0 && metricsPort === port)
    throw new ConfigError('METRICS_PORT must differ from PORT (unset it to serve /metrics on PORT)');
  const publicAddress = publicUrl(env, 'PUBLIC_URL');
  const backupDir = text(env, 'BACKUP_DIR');
  for (const name of ['BACKUP_EVERY_HOURS', 'BACKUP_KEEP'])
    if (backupDir === null && text(env, name) !== null) throw new ConfigError(`${name} needs BACKUP_DIR (where the backups go)`);
  return {
    nodeEnv,
    host: text(env, 'HOST') ?? '0.0.0.0',
    port,
    databaseUrl,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 20, 1, 1000),
    databasePoolMode: oneOf(env, 'DATABASE_POOL_MODE', ['session', 'transaction'] as const, 'session'),
    databaseMigrationUrl: databaseMigrationUrl ?? databaseUrl,
    migrateOnStart: flag(env, 'MIGRATE_ON_START', true),
    databaseReplicaUrls,
    dataDir: path.resolve(text(env, 'RECOMP_DATA_DIR') ?? 'data'),
    jwtSecret,
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_EXPIRE_MINUTES', 30, 1, 24 * 60) * 60,
    refreshTokenTtlSeconds: integer(env, 'REFRESH_TOKEN_EXPIRE_DAYS', 7, 1, 365) * 86_400,
    // OWASP Password Storage Cheat Sheet: argon2id with m=12 MiB, t=3, p=1, one of its five settings
    // of equal strength. Its m=19 MiB, t=2 cost about 40 % more CPU a hash here, half of the
    // difference the kernel clearing the fresh pages of each hash's memory (docs/PERFORMANCE.md, change 17).
    argon2: {
      memoryCost: integer(env, 'ARGON2_MEMORY_KIB', 12_288, 1024, 4_194_304),
      timeCost: integer(env, 'ARGON2_TIME_COST', 3, 1, 100),
      parallelism: integer(env, 'ARGON2_PARALLELISM', 1, 1, 16),
      // While hashes keep up, a core is left to the event loop (and, on one machine, the database);
      // when two or more wait, as many run as there are cores (modules/auth/passwords.ts).
      concurrency: integer(env, 'ARGON2_CONCURRENCY', Math.max(1, availableParallelism() - 1), 1, 256),
      // About a third of a second of hashing on two cores (7.5 ms a hash): past it a sign-up or
      // sign-in is refused with 503 rather than left waiting behind a flood.
      maxWaiting: integer(env, 'ARGON2_MAX_WAITING', 64, 1, 100_000),
    },
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    logFile: logFile === null ? null : path.resolve(logFile),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    allowedOrigins: origins(env, 'ALLOWED_ORIGINS', ['http://localhost:3000', 'http://localhost:8000']),
    trustProxyHops: integer(env, 'TRUST_PROXY_HOPS', 0, 0, 10),
    http: {
      bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
      jsonMaxDepth: integer(env, 'JSON_MAX_DEPTH', 16, 2, 256),
      requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000),
      keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 72_000, 1000, 600_000),
      responseTimeoutMs: integer(env, 'RESPONSE_TIMEOUT_MS', 10_000, 100, 600_000),
    },
    // Generous: the load journeys (scripts/) and the benchmarks stay far below it from one address.
    rateLimit: {
      max: integer(env, 'RATE_LIMIT_MAX', 12_000, 0, 10_000_000),
      windowMs: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400) * 1000,
    },
    loginLimit: {
      perAccount: integer(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 10, 1, 100_000),
      perAddress: integer(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 100, 1, 1_000_000),
      windowMs: integer(env, 'LOGIN_FAILURE_WINDOW_MINUTES', 15, 1, 24 * 60) * 60_000,
    },
    // A household or an office behind one address signs up a few people; a script signs up hundreds.
    signupLimit: {
      perAddress: integer(env, 'SIGNUP_MAX_PER_ADDRESS', 20, 0, 1_000_000),
      windowMs: integer(env, 'SIGNUP_WINDOW_MINUTES', 60, 1, 7 * 24 * 60) * 60_000,
    },
    database: {
      connectTimeoutSeconds: integer(env, 'DATABASE_CONNECT_TIMEOUT_SECONDS', 5, 1, 120),
      statementTimeoutMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000),
    },
    sessionCheckTtlMs: integer(env, 'SESSION_CHECK_SECONDS', 5, 0, 300) * 1000,
    idempotencyTtlMs: integer(env, 'IDEMPOTENCY_TTL_HOURS', 24, 1, 24 * 30) * 3_600_000,
    redisUrl,
    metricsPort,
    imports: {
      maxBytes: integer(env, 'IMPORT_MAX_BYTES', 1024 ** 3, 1024, 64 * 1024 ** 3),
      spoolDir: path.resolve(text(env, 'IMPORT_SPOOL_DIR') ?? path.join(tmpdir(), 'recomp-imports')),
      staleAfterMs: integer(env, 'IMPORT_STALE_SECONDS', 30, 3, 3600) * 1000,
    },
    backup:
      backupDir === null
        ? null
        : {
            dir: path.resolve(backupDir),
            // Fractions of an hour are allowed down to 3.6 s, for tests; files are named to the second.
            everyMs: Math.round(decimal(env, 'BACKUP_EVERY_HOURS', 24, 0.001, 24 * 366) * 3_600_000),
            keep: integer(env, 'BACKUP_KEEP', 14, 1, 100_000),
          },
    publicUrl: publicAddress,
    oidc: oidcConfig(env, publicAddress),
    mail: mailConfig(env, publicAddress),
    // A person who mistyped asks again a few times; a script mailing a stranger asks hundreds.
    passwordResetLimit: {
      perAddress: integer(env, 'PASSWORD_RESET_MAX_PER_ADDRESS', 20, 0, 1_000_000),
      perAccount: integer(env, 'PASSWORD_RESET_MAX_PER_ACCOUNT', 3, 0, 1_000_000),
      windowMs: integer(env, 'PASSWORD_RESET_WINDOW_MINUTES', 60, 1, 7 * 24 * 60) * 60_000,
    },
  };
}

const OIDC_SETTINGS = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_SCOPES', 'OIDC_NAME', 'OIDC_ALLOW_SIGNUP', 'OIDC_LINK_VERIFIED_EMAIL'];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** OIDC_*: all of issuer, client id, secret and PUBLIC_URL, or none of them (docs/DEPLOY.md, 'Single sign-on'). */
function oidcConfig(env: Env, publicAddress: string | null): OidcConfig | null {
  const issuer = text(env, 'OIDC_ISSUER');
  if (issuer === null) {
    for (const name of OIDC_SETTINGS) if (text(env, name) !== null) throw new ConfigError(`${name} needs OIDC_ISSUER (the provider)`);
    return null;
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError(`OIDC_ISSUER must be the provider's issuer URL, such as https://accounts.google.com, got "${issuer}"`);
  }
  // Plain http only to a provider on this machine (a development or test provider).
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw new ConfigError('OIDC_ISSUER must be an https:// URL (http:// only on localhost)');
  const clientId = text(env, 'OIDC_CLIENT_ID');
  const clientSecret = text(env, 'OIDC_CLIENT_SECRET');
  if (clientId === null || clientSecret === null) throw new ConfigError('OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
  if (publicAddress === null) throw new ConfigError('OIDC_ISSUER needs PUBLIC_URL (the redirect URI is built from it)');
  const scopes = (text(env, 'OIDC_SCOPES') ?? 'openid email profile').split(/\s+/);
  if (!scopes.includes('openid')) throw new ConfigError('OIDC_SCOPES must include openid');
  return {
    issuer,
    clientId,
    clientSecret,
    scopes: scopes.join(' '),
    name: text(env, 'OIDC_NAME') ?? 'single sign-on',
    allowSignup: flag(env, 'OIDC_ALLOW_SIGNUP', false),
    linkVerifiedEmail: flag(env, 'OIDC_LINK_VERIFIED_EMAIL', false),
    redirectUri: `${publicAddress}/api/v1/auth/oidc/callback`,
  };
}

/** SMTP_URL, MAIL_FROM and PUBLIC_URL, checked; null when any is missing (mail is then off). */
function mailConfig(env: Env, publicUrl: string | null): MailConfig | null {
  const smtpUrl = text(env, 'SMTP_URL');
  if (smtpUrl !== null) {
    const url = URL.parse(smtpUrl);
    if (url === null || !['smtp:', 'smtps:'].includes(url.protocol) || url.hostname === '')
      throw new ConfigError(
        'SMTP_URL must be an smtp:// (STARTTLS when offered) or smtps:// (TLS) URL with the credentials in it, such as smtps://user:password@mail.example.com:465',
      );
  }
  const from = text(env, 'MAIL_FROM');
  if (from !== null && !/^([^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(from))
    throw new ConfigError(`MAIL_FROM must be an address, or a name and an address like "Recomp <recomp@example.com>", got "${from}"`);
  const retryBaseMs = Math.round(decimal(env, 'MAIL_RETRY_BASE_SECONDS', 30, 0.01, 3600) * 1000);
  const pollMs = Math.round(decimal(env, 'MAIL_POLL_SECONDS', 10, 0.01, 3600) * 1000);
  const maxAttempts = integer(env, 'MAIL_MAX_ATTEMPTS', 10, 1, 100);
  const keepMs = integer(env, 'MAIL_KEEP_DAYS', 7, 0, 3650) * 86_400_000;
  if (smtpUrl === null || from === null || publicUrl === null) return null;
  return { smtpUrl, from, publicUrl, maxAttempts, retryBaseMs, pollMs, keepMs };
}

/** For the process entries (server, migrate): a bad setting prints its message and exits with status 2. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`configuration error: ${error.message}`);
    process.exit(2);
  }
}
