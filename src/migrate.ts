/**
 * `npm run db:migrate`: applies the pending migrations and exits (an init container, a release job),
 * over DATABASE_MIGRATION_URL (default DATABASE_URL) and under the same advisory lock as a starting
 * instance. Without DATABASE_URL it migrates the embedded database in RECOMP_DATA_DIR.
 */
import { loadConfigOrExit } from './config.ts';
import { migrateDatabase, openEmbedded } from './db/client.ts';
import { createLogger } from './logger.ts';

const config = loadConfigOrExit();
const logger = createLogger(config);
try {
  if (config.databaseMigrationUrl) {
    await migrateDatabase(config.databaseMigrationUrl, { connectTimeoutSeconds: config.database.connectTimeoutSeconds });
  } else {
    await (await openEmbedded(config.dataDir)).close();
  }
  logger.info({ database: config.databaseUrl ? 'postgres' : 'pglite' }, 'migrations applied');
} catch (error) {
  logger.fatal({ err: error }, `migrations failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
