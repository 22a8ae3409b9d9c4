/**
 * An upgrade of the embedded database can always be undone: before this release migrates an existing
 * embedded database to its schema, it writes a snapshot of it into <data folder>/backups, which the
 * previous release restores (docs/DEPLOY.md, "Upgrades"). A database a newer release migrated is
 * refused before anything is written (src/db/schema-version.ts).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { type DatabaseHandle, migrateEmbedded, openEmbedded } from '../db/client.ts';
import { codeSchema, refuseNewerSchema } from '../db/schema-version.ts';
import { fileStamp, writeBackup } from './backup/write.ts';

/** Where the snapshots taken before upgrades go: inside the data folder, beside the database. */
export const upgradeSnapshotFolder = (dataDir: string) => path.join(dataDir, 'backups');

/** Opens the embedded database in `dataDir` at this release's schema, with a snapshot first when that migrates it. */
export async function openEmbeddedForService(dataDir: string, logger: Pick<Logger, 'info'>): Promise<DatabaseHandle> {
  const database = await openEmbedded(dataDir, { migrate: false });
  try {
    const found = await database.raw('snapshot', refuseNewerSchema);
    const target = codeSchema();
    // Version 0 is a new folder: nothing to keep.
    if (found.version > 0 && found.version < target.version) {
      const folder = upgradeSnapshotFolder(dataDir);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const file = path.join(folder, `before-upgrade-${fileStamp(new Date())}-schema-${found.version}-to-${target.version}.ndjson.gz`);
      const summary = await writeBackup(database, file);
      logger.info(
        { file, bytes: summary?.bytes, from: found.version, to: target.version },
        'upgrading the embedded database: a snapshot of it as it was is kept (restore it with the previous release to go back)',
      );
    }
    await migrateEmbedded(database);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}
