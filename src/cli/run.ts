/**
 * Runs an administration task for the command line: reads the service's configuration, opens its
 * database without migrating it (a task that needs the current schema says so: src/admin/), runs the
 * task and closes the database. An embedded database held by the running service is the service's
 * alone: the task is sent to the service instead (src/admin/socket.ts).
 */
import { ConfigError, type Config, loadConfig } from '../config.ts';
import { type DatabaseHandle, openEmbedded, openPostgres } from '../db/client.ts';
import { embeddedExists } from '../admin/check.ts';
import { AdminError } from '../admin/context.ts';
import { runInService } from '../admin/socket-client.ts';
import { socketPath } from '../admin/socket.ts';
import { type TaskArgs, type TaskName, tasks } from '../admin/tasks.ts';

/** The service's configuration, a bad value refused as the command's (exit 2). */
function cliConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new AdminError(`configuration error: ${error.message}`, 2);
    throw error;
  }
}

/**
 * The configured database, unmigrated: PostgreSQL at DATABASE_URL, or the embedded one in
 * RECOMP_DATA_DIR. Opening an embedded folder that holds no database would create an empty one
 * there, which a mistyped RECOMP_DATA_DIR must not do: only a restore may start from nothing.
 */
async function openConfigured(config: Config, task: TaskName): Promise<DatabaseHandle> {
  if (config.databaseUrl === null) {
    if (task !== 'restore' && !(await embeddedExists(config))) {
      throw new AdminError(
        `there is no database in ${config.dataDir} (RECOMP_DATA_DIR): the service creates one when it first starts, ` +
          'or restore a snapshot into it with `recomp restore FILE`',
        1,
      );
    }
    return openEmbedded(config.dataDir, { migrate: false });
  }
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
  // Asked first rather than after the database's lock refuses us: the lock is retried for seconds
  // before it gives up (src/db/client.ts). No service answering, the database is opened here; if
  // something else holds it, opening it says so.
  if (config.databaseUrl === null) {
    const ranThere = await runInService(socketPath(config.dataDir), {
      task: name,
      args,
      print: (line) => console.log(line),
      onConnected: () => console.error(`recomp: the service is running: asking it to run "${name}"`),
    });
    if (ranThere) return;
  }
  const database = await openConfigured(config, name);
  try {
    const task = tasks[name] as (ctx: unknown, args: TaskArgs<N>) => Promise<void>;
    await task({ config, database, print: (line: string) => console.log(line) }, args);
  } finally {
    await database.close();
  }
}
