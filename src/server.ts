/** The process entry: configuration, database, app, listen, and a graceful stop on SIGTERM/SIGINT. */
import './thread-pool.ts'; // first: before anything may start libuv's thread pool
import { getHeapStatistics } from 'node:v8';
import closeWithGrace from 'close-with-grace';
import { SCHEDULED_BACKUP_LOCK, writeBackup } from './admin/backup/write.ts';
import { startBackupSchedule } from './admin/schedule.ts';
import { openEmbeddedForService } from './admin/upgrade.ts';
import { listenForTasks } from './admin/socket.ts';
import { type Config, loadConfigOrExit } from './config.ts';
import { type DatabaseHandle, openPostgres } from './db/client.ts';
import { refuseNewerSchema } from './db/schema-version.ts';
import { buildApp } from './http/app.ts';
import { createLogger } from './logger.ts';
import type { Logger } from 'pino';
import { resolveJwtSecret } from './secret.ts';

/**
 * The scheduled backups (BACKUP_DIR: docs/DEPLOY.md, 'Scheduled backups'). Instances sharing the
 * database take turns through the writer's advisory lock.
 */
function scheduleBackups(config: Config, logger: Logger, database: DatabaseHandle) {
  if (config.backup === null) return undefined;
  return startBackupSchedule({
    ...config.backup,
    write: (file) => writeBackup(database, file, { lockKey: SCHEDULED_BACKUP_LOCK }),
    logger,
  });
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
      : await openEmbeddedForService(config.dataDir, logger);
    // Migrated by a job instead (MIGRATE_ON_START=false): still never run on a schema a newer release made.
    if (database.kind === 'postgres' && !config.migrateOnStart) await database.raw('snapshot', refuseNewerSchema);
    // Connected on first use: a replica down at start is skipped until it answers.
    replicas = await Promise.all(config.databaseReplicaUrls.map((url) => openPostgres(url, { ...postgresOptions, migrate: false })));
  } catch (error) {
    logger.fatal({ err: error }, `cannot open the database: ${(error as Error).message}`);
    process.exit(1);
  }
  const jwtSecret = await resolveJwtSecret(config);
  const backups = scheduleBackups(config, logger, database);
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
