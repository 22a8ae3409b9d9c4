/**
 * Runs an administration task for the command line: reads the service's configuration, opens its
 * database without migrating it (a task that needs the current schema says so: src/admin/), runs the
 * task and closes the database.
 */
import { ConfigError, type Config, loadConfig } from '../config.ts';
import { type DatabaseHandle, openEmbedded, openPostgres } from '../db/client.ts';
import { AdminError } from '../admin/context.ts';
import { type TaskArgs, type TaskName, tasks } from '../admin/tasks.ts';

export function cliConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new AdminError(`configuration error: ${error.message}`, 2);
    throw error;
  }
}

/** The configured database, unmigrated: PostgreSQL at DATABASE_URL, or the embedded one in RECOMP_DATA_DIR. */
export async function openConfigured(config: Config): Promise<DatabaseHandle> {
  if (config.databaseUrl === null) return openEmbedded(config.dataDir, { migrate: false });
  return openPostgres(config.databaseUrl, {
    poolSize: 2,
    migrate: false,
    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
    statementTimeoutMs: config.database.statementTimeoutMs,
    poolMode: config.databasePoolMode,
  });
}

export async function runTask<N extends TaskName>(name: N, args: TaskArgs<N>): Promise<void> {
  const config = cliConfig();
  const database = await openConfigured(config);
  try {
    const task = tasks[name] as (ctx: unknown, args: TaskArgs<N>) => Promise<void>;
    await task({ config, database, print: (line: string) => console.log(line) }, args);
  } finally {
    await database.close();
  }
}
