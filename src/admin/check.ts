/**
 * `recomp check` (src/cli/check.ts): what to look at first when something is wrong. Each finding is
 * ok, warn or fail; one that cannot be made (a database that does not answer) is a failure of its
 * own line and the others are still made (docs/DEPLOY.md, "When something is wrong: recomp check").
 */
import { constants } from 'node:fs';
import { access, readFile, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { type Config, ConfigError, loadConfig, MIN_SECRET_LENGTH } from '../config.ts';
import { type DatabaseHandle } from '../db/client.ts';
import { type AdminContext, AdminError } from './context.ts';
import { describeSchemaState, schemaState } from './schema-state.ts';

type Level = 'ok' | 'warn' | 'fail';

export interface Finding {
  level: Level;
  item: string;
  detail: string;
}

export const formatFinding = (f: Finding) => `${f.level.padEnd(4)}  ${f.item}: ${f.detail}`;

const GIB = 1024 ** 3;
/** Below either, the disk gets a warning: a backup or the database's growth could fill it. */
const LOW_FREE_BYTES = GIB;
const LOW_FREE_SHARE = 0.1;

export function loadConfigFinding(env: Record<string, string | undefined>): { config: Config | null; finding: Finding } {
  try {
    const config = loadConfig(env);
    return { config, finding: { level: 'ok', item: 'configuration', detail: `loaded (NODE_ENV=${config.nodeEnv})` } };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { config: null, finding: { level: 'fail', item: 'configuration', detail: error.message } };
  }
}

/** A connection URL fit to print: its password (in the URL or as a parameter) masked. */
function maskedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '****');
    return parsed.toString();
  } catch {
    return '(a URL that cannot be read)';
  }
}

const embeddedFolder = (config: Config) => path.join(config.dataDir, 'pgdata');

export function databaseFinding(config: Config): Finding {
  return config.databaseUrl === null
    ? { level: 'ok', item: 'database', detail: `embedded, in ${embeddedFolder(config)}` }
    : { level: 'ok', item: 'database', detail: `PostgreSQL at ${maskedUrl(config.databaseUrl)}` };
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** The embedded database has been created (the service's first start creates it). */
export const embeddedExists = (config: Config) => exists(path.join(embeddedFolder(config), 'PG_VERSION'));

/**
 * Whether a process holds the embedded database, asked without taking the lock (proper-lockfile's
 * `check`, with the options openEmbedded locks with), so a running service is never disturbed.
 */
export async function lockFinding(config: Config): Promise<Finding> {
  const item = 'embedded lock';
  if (!(await exists(embeddedFolder(config)))) return { level: 'ok', item, detail: 'free (no database yet)' };
  try {
    const held = await lockfile.check(embeddedFolder(config), { lockfilePath: path.join(config.dataDir, 'pgdata.lock'), stale: 10_000 });
    return {
      level: 'ok',
      item,
      detail: held ? 'held by a running service (or another recomp command)' : 'free (no service runs on this folder)',
    };
  } catch (error) {
    return { level: 'fail', item, detail: `cannot be read: ${(error as Error).message}` };
  }
}

/** The nearest folder that exists on the way up from `dir` (a data folder not created yet is on that disk). */
async function existingAncestor(dir: string): Promise<string> {
  let current = path.resolve(dir);
  while (!(await exists(current)) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GB`;

export async function diskFindings(folders: { label: string; dir: string }[]): Promise<Finding[]> {
  return Promise.all(
    folders.map(async ({ label, dir }): Promise<Finding> => {
      const item = `free disk (${label})`;
      try {
        const stats = await statfs(await existingAncestor(dir));
        const free = stats.bavail * stats.bsize;
        const total = stats.blocks * stats.bsize;
        const share = total > 0 ? free / total : 0;
        const detail = `${gib(free)} of ${gib(total)} free (${Math.round(share * 100)} %) at ${dir}`;
        const low = free < LOW_FREE_BYTES || share < LOW_FREE_SHARE;
        return { level: low ? 'warn' : 'ok', item, detail: low ? `${detail}: low, under 1 GB or 10 %` : detail };
      } catch (error) {
        return { level: 'fail', item, detail: `cannot be read at ${dir}: ${(error as Error).message}` };
      }
    }),
  );
}

/** The signing key of sign-ins: JWT_SECRET, or the one the service generated into the data folder (src/secret.ts). */
export async function jwtSecretFinding(config: Config): Promise<Finding> {
  const item = 'JWT secret';
  if (config.jwtSecret !== null) return { level: 'ok', item, detail: 'JWT_SECRET is set' };
  const file = path.join(config.dataDir, 'jwt-secret');
  try {
    await access(file, constants.R_OK);
    const length = (await readFile(file, 'utf8')).trim().length;
    if (length < MIN_SECRET_LENGTH)
      return { level: 'fail', item, detail: `${file} holds a secret shorter than ${MIN_SECRET_LENGTH} characters` };
    return { level: 'ok', item, detail: `generated, in ${file}` };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return {
        level: 'warn',
        item,
        detail: `JWT_SECRET is not set and ${file} does not exist yet: the service generates it at its first start`,
      };
    }
    return { level: 'fail', item, detail: `${file} cannot be read: ${(error as Error).message}` };
  }
}

/** The database answers (its server version) and where its migrations stand. */
async function databaseFindings(database: DatabaseHandle): Promise<Finding[]> {
  let version: string;
  try {
    const [row] = await database.raw('snapshot', (query) => query(`SELECT current_setting('server_version') AS version`));
    version = row?.version === undefined ? 'unknown' : String(row.version);
  } catch (error) {
    return [{ level: 'fail', item: 'database answers', detail: `no: ${(error as Error).message}` }];
  }
  const answers: Finding = {
    level: 'ok',
    item: 'database answers',
    detail: `yes, ${database.kind === 'pglite' ? 'PGlite' : 'PostgreSQL'} ${version}`,
  };
  try {
    const state = await schemaState(database);
    const level: Level = state.newer > 0 ? 'fail' : state.applied < state.known ? 'warn' : 'ok';
    const advice =
      state.newer > 0
        ? ': this version of Recomp cannot run on it'
        : state.applied < state.known
          ? ': the service applies them at its start (MIGRATE_ON_START), or run `npm run db:migrate`'
          : '';
    return [answers, { level, item: 'migrations', detail: `${describeSchemaState(state)}${advice}` }];
  } catch (error) {
    return [answers, { level: 'fail', item: 'migrations', detail: `cannot be read: ${(error as Error).message}` }];
  }
}

/** The database's part of the check, as a task: it can run inside the service that holds an embedded database. */
async function checkDatabase(ctx: AdminContext, _args: Record<string, never>): Promise<void> {
  const findings = await databaseFindings(ctx.database);
  for (const finding of findings) ctx.print(formatFinding(finding));
  if (findings.some((f) => f.level === 'fail')) throw new AdminError('the database checks failed');
}

export const checkTasks = { 'check.database': checkDatabase };
