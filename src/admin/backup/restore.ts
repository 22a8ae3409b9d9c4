/**
 * Restores a snapshot into a database, all or nothing: in one transaction it replaces Recomp's schema
 * with the snapshot's version (the first migrations of drizzle/, recorded as drizzle's migrator
 * records them), loads every table while checking its count and checksum, checks each table read
 * back from the database against the snapshot, then applies this code's later migrations. Any
 * failure rolls it all back and leaves the database as it was.
 */
import type { DatabaseHandle, RawQuery } from '../../db/client.ts';
import { codeSchema, type Migration, migrations } from '../../db/schema-version.ts';
import { AdminError } from '../context.ts';
import { type Header, portableSession, publicEnums, publicTables, quoteName, RowsDigest, rowLines, type TableSummary } from './format.ts';
import { openSnapshot, SnapshotError } from './read.ts';

/** Rows go to the database in batches of about this many bytes of JSON. */
const BATCH_BYTES = 1 << 20;

export interface RestoreOptions {
  /** Replace a database that holds data, or that a running service is using. */
  force: boolean;
}

export interface RestoreSummary {
  header: Header;
  tables: TableSummary[];
  /** The migrations applied after the rows were loaded (the snapshot was older than this code). */
  migrated: string[];
}

export async function restoreBackup(database: DatabaseHandle, file: string, options: RestoreOptions): Promise<RestoreSummary> {
  const snapshot = await openSnapshot(file).catch((error: unknown) => {
    if (error instanceof SnapshotError) throw new AdminError(error.message);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AdminError(`${file}: no such file`, 2);
    throw error;
  });
  try {
    const { header } = snapshot;
    const all = migrations();
    const code = codeSchema();
    if (header.schema.version > code.version)
      throw new AdminError(
        `${file} is at schema version ${header.schema.version} (${header.schema.migration ?? 'a migration this release does not know'}), ` +
          `newer than this release's ${code.version} (${code.migration ?? 'none'}): restore it with the release that made it or a newer one`,
      );
    const last = all[header.schema.version - 1];
    if (header.schema.version > 0 && header.schema.migration !== null && last?.tag !== header.schema.migration)
      throw new AdminError(
        `${file} was made at migration ${header.schema.migration}, which this release has not got as its migration ${header.schema.version}`,
      );
    return await database.raw('write', async (query) => {
      await portableSession(query);
      await refuseUnlessForced(query, database.kind, options.force);
      await dropSchema(query);
      for (const migration of all.slice(0, header.schema.version)) await applyMigration(query, migration);
      const tables = await loadTables(query, snapshot, header);
      const later = all.slice(header.schema.version);
      for (const migration of later) await applyMigration(query, migration);
      return { header, tables, migrated: later.map((migration) => migration.tag) };
    });
  } catch (error) {
    if (error instanceof SnapshotError) throw new AdminError(`${error.message}; nothing was restored`);
    throw error;
  } finally {
    snapshot.close();
  }
}

/** Refuses (exit 2) a database holding data, or in use by a running service, unless forced. */
async function refuseUnlessForced(query: RawQuery, kind: DatabaseHandle['kind'], force: boolean): Promise<void> {
  if (force) return;
  if (kind === 'postgres') {
    // Instances name their sessions `recomp <pid> …` (client.ts); this process's own are left out.
    const [use] = await query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND application_name LIKE 'recomp %' AND application_name NOT LIKE $1`,
      [`recomp ${process.pid} %`],
    );
    if (Number(use?.n) > 0)
      throw new AdminError(`a Recomp service is using this database (${String(use?.n)} connections): stop it first, or pass --force`, 2);
  }
  const holding: string[] = [];
  for (const table of await publicTables(query)) {
    const [row] = await query(`SELECT EXISTS (SELECT FROM public.${quoteName(table.name)}) AS any`);
    if (row?.any === true) holding.push(table.name);
  }
  if (holding.length > 0)
    throw new AdminError(`the database is not empty (rows in ${holding.join(', ')}): pass --force to replace everything in it`, 2);
}

/** Recomp's objects: the public schema's tables and enum types, and drizzle's record of migrations. */
async function dropSchema(query: RawQuery): Promise<void> {
  const tables = await publicTables(query);
  if (tables.length > 0) await query(`DROP TABLE ${tables.map((table) => `public.${quoteName(table.name)}`).join(', ')} CASCADE`);
  const enums = await publicEnums(query);
  if (enums.length > 0) await query(`DROP TYPE ${enums.map((name) => `public.${quoteName(name)}`).join(', ')} CASCADE`);
  await query('DROP SCHEMA IF EXISTS drizzle CASCADE');
}

/** As drizzle's migrator applies and records a migration, so that it carries on from here. */
async function applyMigration(query: RawQuery, migration: Migration): Promise<void> {
  await query('CREATE SCHEMA IF NOT EXISTS drizzle');
  await query('CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)');
  for (const statement of migration.statements) if (statement.trim() !== '') await query(statement);
  await query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', [migration.hash, migration.when]);
}

async function loadTables(query: RawQuery, snapshot: Awaited<ReturnType<typeof openSnapshot>>, header: Header): Promise<TableSummary[]> {
  const tables = new Map((await publicTables(query)).map((table) => [table.name, table]));
  const loaded: TableSummary[] = [];
  for await (const { name, batches } of snapshot.tables(BATCH_BYTES)) {
    const table = tables.get(name);
    if (table === undefined) throw new SnapshotError(`table ${name} of the snapshot is not in its schema version ${header.schema.version}`);
    const columns = table.columns
      .filter((column) => !column.generated)
      .map((column) => quoteName(column.name))
      .join(', ');
    const target = `public.${quoteName(name)}`;
    for await (const batch of batches)
      await query(`INSERT INTO ${target} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${target}, $1::text::json)`, [
        `[${batch.join(',')}]`,
      ]);
    // Read back as a backup would read it: what is in the database is what the snapshot holds.
    const digest = new RowsDigest();
    for await (const lines of rowLines(query, table)) digest.add(lines);
    const expected = header.tables.find((entry) => entry.name === name)!;
    const sha256 = digest.sha256();
    if (digest.rows !== expected.rows || sha256 !== expected.sha256)
      throw new Error(`table ${name} read back from the database differs from the snapshot (${digest.rows} rows of ${expected.rows})`);
    loaded.push({ name, rows: digest.rows, sha256 });
  }
  return loaded;
}
