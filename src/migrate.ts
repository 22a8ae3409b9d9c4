/**
 * `npm run db:migrate`: applies the pending migrations and exits (an init container, a release job),
 * over DATABASE_MIGRATION_URL (default DATABASE_URL) and under the same advisory lock as a starting
 * instance. Without DATABASE_URL it migrates the embedded database in RECOMP_DATA_DIR, keeping a snapshot
 * of it first (src/admin/upgrade.ts). Either refuses a database a newer release migrated.
 */
import { loadConfigOrExit } from './config.ts';
import { openEmbeddedForService } from './admin/upgrade.ts';
import { migrateDatabase } from './db/client.ts';
import { createLogger } from './logger.ts';

const config = loadConfigOrExit();
const logger = createLogger(config);
try {
  if (config.databaseMigrationUrl) {
    await migrateDatabase(config.databaseMigrationUrl, { connectTimeoutSeconds: config.database.connectTimeoutSeconds });
  } else {
    await (await openEmbeddedForService(config.dataDir, logger)).close();
  }
  logger.info({ database: config.databaseUrl ? 'postgres' : 'pglite' }, 'migrations applied');
} catch (error) {
  logger.fatal({ err: error }, `migrations failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
