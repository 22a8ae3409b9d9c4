/** The process entry: configuration, database, app, listen, and a graceful stop on SIGTERM/SIGINT. */
import './thread-pool.ts'; // first: before anything may start libuv's thread pool
import { getHeapStatistics } from 'node:v8';
import closeWithGrace from 'close-with-grace';
import { type BackupWriter, startBackupSchedule } from './admin/schedule.ts';
import { listenForTasks } from './admin/socket.ts';
import { type Config, loadConfigOrExit } from './config.ts';
import { type DatabaseHandle, openEmbedded, openPostgres } from './db/client.ts';
import { buildApp } from './http/app.ts';
import { createLogger } from './logger.ts';
import type { Logger } from 'pino';
import { resolveJwtSecret } from './secret.ts';

/**
 * The scheduled backups (BACKUP_DIR: docs/DEPLOY.md, 'Scheduled backups'), written by `writeBackup`;
 * without a writer a BACKUP_DIR is reported and nothing is written.
 */
function scheduleBackups(config: Config, logger: Logger, writeBackup: BackupWriter | null) {
  if (config.backup === null) return undefined;
  if (writeBackup === null) {
    logger.error({ dir: config.backup.dir }, 'BACKUP_DIR is set but this build has no backup writer: no backups are scheduled');
    return undefined;
  }
  return startBackupSchedule({ ...config.backup, write: writeBackup, logger });
}

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config);
  let database: DatabaseHandle;
  let replicas: DatabaseHandle[] = [];
  const postgresOptions = {
    poolSize: config.databasePoolSize,
    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
    statementTimeoutMs: config.database.statementTimeoutMs,
    poolMode: config.databasePoolMode,
  };
  try {
    database = config.databaseUrl
      ? await openPostgres(config.databaseUrl, {
          ...postgresOptions,
          migrate: config.migrateOnStart ? (config.databaseMigrationUrl ?? config.databaseUrl) : false,
        })
      : await openEmbedded(config.dataDir);
    // Connected on first use: a replica down at start is skipped until it answers.
    replicas = await Promise.all(config.databaseReplicaUrls.map((url) => openPostgres(url, { ...postgresOptions, migrate: false })));
  } catch (error) {
    logger.fatal({ err: error }, `cannot open the database: ${(error as Error).message}`);
    process.exit(1);
  }
  const jwtSecret = await resolveJwtSecret(config);
  const backups = scheduleBackups(config, logger, /* writeBackup: */ null);
  const app = await buildApp({ config, database, replicas, jwtSecret, logger, ...(backups ? { backups } : {}) });
  // An embedded database is this process's alone: the recomp command sends its tasks here (src/admin/socket.ts).
  const taskSocket =
    database.kind === 'pglite'
      ? await listenForTasks(config.dataDir, { config, database, forgetSessions: app.forgetSessions }, logger)
      : null;

  closeWithGrace({ delay: config.shutdownTimeoutMs }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'stopping after an uncaught error');
    else logger.info({ signal }, 'stopping: finishing in-flight requests');
    // A backup or a task under way is let finish (within SHUTDOWN_TIMEOUT_MS): it needs the database.
    await Promise.all([app.close(), backups?.stop(), taskSocket?.close()]);
    await Promise.all([database, ...replicas].map((handle) => handle.close()));
    logger.info('stopped');
  });

  await app.listen({ host: config.host, port: config.port });
  logger.info(
    {
      database: database.kind,
      replicas: replicas.length,
      dataDir: database.kind === 'pglite' ? config.dataDir : undefined,
      // How it runs: compiled JavaScript (`npm start`) or TypeScript sources (`npm run dev`), and libuv's pool.
      compiled: import.meta.url.endsWith('.js'),
      threadPoolSize: Number(process.env.UV_THREADPOOL_SIZE) || 4,
      heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 1_048_576),
    },
    'Recomp is ready',
  );
}

await main();
