/**
 * Safe upgrades (docs/DEPLOY.md, "Upgrades"): an existing embedded database is snapshotted before this
 * release migrates it, and a database a newer release migrated is refused, on either engine, before
 * anything is changed.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedForService, upgradeSnapshotFolder } from '../../src/admin/upgrade.ts';
import { migrateDatabase, openEmbedded, openPostgres, type RawQuery } from '../../src/db/client.ts';
import { codeSchema, databaseSchema, migrationsFolder } from '../../src/db/schema-version.ts';
import { databaseKind } from '../helpers/app.ts';
import { createPostgresDatabase, dropPostgresDatabase, readSnapshotFile } from '../helpers/backup.ts';

const known = codeSchema().version;
const logger = { info: () => {} };
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'recomp-upgrades-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The migrations folder as a release with only the first `count` migrations had it. */
async function olderMigrations(count: number): Promise<string> {
  const older = await mkdtemp(path.join(folder, 'drizzle-'));
  await cp(migrationsFolder, older, { recursive: true });
  const journal = JSON.parse(await readFile(path.join(older, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  await writeFile(path.join(older, 'meta/_journal.json'), JSON.stringify(journal));
  return older;
}

/** A migration recorded as a newer release records it: a journal time after every one this release has. */
async function recordNewerMigration(query: RawQuery): Promise<void> {
  await query(
    `INSERT INTO drizzle.__drizzle_migrations (hash, created_at) SELECT 'from-a-newer-release', max(created_at) + 1000 FROM drizzle.__drizzle_migrations`,
  );
}

const NEWER = new RegExp(
  `the database has schema version ${known + 1}, migrated by a newer release of Recomp .*this release knows schema version ${known} \\(up to ${codeSchema().migration}\\).*recomp restore FILE`,
);

// Each engine's own cases, defined only in its project (a skipped test fails CI).
if (databaseKind() === 'pglite') {
  describe('the embedded database', () => {
    it('is snapshotted before this release migrates it, and the snapshot holds it as it was', async () => {
      const dataDir = await mkdtemp(path.join(folder, 'data-'));
      // The data folder as the previous release left it: one migration short, with a person in it.
      const previous = await PGlite.create(path.join(dataDir, 'pgdata'));
      await migrate(drizzle(previous), { migrationsFolder: await olderMigrations(known - 1) });
      await previous.query(
        `INSERT INTO users (email, password_hash, full_name, date_of_birth, gender, height_cm, preferred_calculation_method, activity_level)
       VALUES ('kept@example.com', 'x', 'Kept', '1990-01-01', 'female', 165, 'navy', 'sedentary')`,
      );
      await previous.close();

      const database = await openEmbeddedForService(dataDir, logger);
      try {
        expect(await database.raw('snapshot', databaseSchema)).toMatchObject({ version: known, unknown: 0 });
        expect(await database.raw('snapshot', (query) => query('SELECT email FROM users'))).toEqual([{ email: 'kept@example.com' }]);
      } finally {
        await database.close();
      }
      const snapshots = await readdir(upgradeSnapshotFolder(dataDir));
      expect(snapshots).toEqual([
        expect.stringMatching(new RegExp(`^before-upgrade-\\d{8}T\\d{6}Z-schema-${known - 1}-to-${known}\\.ndjson\\.gz$`)),
      ]);
      const { header, body } = await readSnapshotFile(path.join(upgradeSnapshotFolder(dataDir), snapshots[0]!));
      expect(header.schema.version).toBe(known - 1);
      expect(header.tables.find((table) => table.name === 'users')?.rows).toBe(1);
      expect(body).toContain('"email":"kept@example.com"');

      // Already at this release's schema: opened again, nothing more is written.
      await (await openEmbeddedForService(dataDir, logger)).close();
      expect(await readdir(upgradeSnapshotFolder(dataDir))).toEqual(snapshots);
    });

    it('is not snapshotted when new, and is refused when a newer release migrated it, unchanged and unlocked', async () => {
      const dataDir = await mkdtemp(path.join(folder, 'data-'));
      const database = await openEmbeddedForService(dataDir, logger);
      await database.raw('write', recordNewerMigration);
      await database.close();
      expect(await readdir(dataDir)).not.toContain('backups');

      await expect(openEmbeddedForService(dataDir, logger)).rejects.toThrow(NEWER);
      // The lock was let go, nothing was written, and the schema is as the newer release left it.
      const after = await openEmbedded(dataDir, { migrate: false });
      try {
        expect(await after.raw('snapshot', databaseSchema)).toMatchObject({ version: known + 1, unknown: 1 });
      } finally {
        await after.close();
      }
      expect(await readdir(dataDir)).not.toContain('backups');
    });
  });
}

if (databaseKind() === 'postgres') {
  describe('a PostgreSQL database', () => {
    it('is refused by the migrations, and by a start that migrates, when a newer release migrated it', async () => {
      const url = await createPostgresDatabase();
      try {
        await migrateDatabase(url);
        const database = await openPostgres(url, { poolSize: 1, migrate: false });
        await database.raw('write', recordNewerMigration);
        await database.close();

        await expect(migrateDatabase(url)).rejects.toThrow(NEWER);
        await expect(openPostgres(url, { poolSize: 1 })).rejects.toThrow(NEWER);
      } finally {
        await dropPostgresDatabase(url);
      }
    });
  });
}
