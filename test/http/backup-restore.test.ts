import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminError } from '../../src/admin/context.ts';
import { restoreBackup } from '../../src/admin/backup/restore.ts';
import { writeBackup } from '../../src/admin/backup/write.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { codeSchema, databaseSchema, migrations } from '../../src/db/schema-version.ts';
import { signUp } from '../helpers/api.ts';
import { createTestApp, databaseKind, type TestApp } from '../helpers/app.ts';
import { emptyDatabase, type EmptyDatabase, readSnapshotFile } from '../helpers/backup.ts';
import { navy } from '../helpers/people.ts';

// What a restore refuses, and that a refused or failed one leaves the target as it was
// (docs/DEPLOY.md, "Backups and upgrades").

const engine = databaseKind();
let source: TestApp;
let folder: string;
let snapshot: string;
const opened: EmptyDatabase[] = [];

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'recomp-restore-'));
  source = await createTestApp();
  for (let i = 0; i < 3; i++) {
    const { api } = await signUp(source.app);
    expect((await api.post('/api/v1/measurements', navy())).status).toBe(201);
  }
  snapshot = path.join(folder, 'snapshot.ndjson.gz');
  await writeBackup(source.database, snapshot);
}, 120_000);

afterAll(async () => {
  await source.close();
  for (const database of opened) await database.drop();
  await rm(folder, { recursive: true, force: true });
});

async function empty(): Promise<EmptyDatabase> {
  const target = await emptyDatabase(engine);
  opened.push(target);
  return target;
}

/** Everything a restore could change: the schema's objects and every table's rows, as a backup sees them. */
async function state(database: DatabaseHandle): Promise<string> {
  return database.raw('snapshot', async (query) => {
    const objects = await query(`
      SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text AS object FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', 'drizzle')`);
    objects.sort((a, b) => (String(a.object) < String(b.object) ? -1 : 1));
    const schema = await databaseSchema(query);
    const rows: string[] = [];
    for (const { object } of objects.filter((row) => String(row.object).endsWith(':r')))
      rows.push(`${String(object)}=${String((await query(`SELECT count(*)::int AS n FROM ${String(object).slice(0, -2)}`))[0]!.n)}`);
    return JSON.stringify({ objects: objects.map((row) => row.object), schema, rows });
  });
}

async function refused(database: DatabaseHandle, file: string, message: RegExp, exitCode: 1 | 2 = 1) {
  const before = await state(database);
  const error = await restoreBackup(database, file, { force: false }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AdminError);
  expect((error as AdminError).message).toMatch(message);
  expect((error as AdminError).exitCode).toBe(exitCode);
  expect(await state(database)).toBe(before);
}

/** The snapshot with its text changed by `edit` (header and body lines), gzipped again. */
async function edited(name: string, edit: (lines: string[]) => void): Promise<string> {
  const lines = gunzipSync(await readFile(snapshot))
    .toString('utf8')
    .split('\n');
  edit(lines);
  const file = path.join(folder, name);
  await writeFile(file, gzipSync(lines.join('\n')));
  return file;
}

describe('restore refuses', () => {
  it('a database that holds data, unless forced; forced, it replaces everything', async () => {
    const target = await empty();
    await restoreBackup(target.database, snapshot, { force: false });
    // Other files' rows come along on the shared PostgreSQL database (single sign-on's tables sort first).
    await refused(target.database, snapshot, /not empty \(rows in ([a-z_]+, )*users, /, 2);
    const summary = await restoreBackup(target.database, snapshot, { force: true });
    const { header } = await readSnapshotFile(snapshot);
    expect(summary.tables.find((table) => table.name === 'users')?.rows).toBeGreaterThanOrEqual(3);
    expect(summary.tables).toEqual(header.tables.map(({ name, rows, sha256 }) => ({ name, rows, sha256 })));
  });

  it('a snapshot of a newer schema, naming both versions', async () => {
    const code = codeSchema();
    const newer = await edited('newer.ndjson.gz', (lines) => {
      const header = JSON.parse(lines[0]!);
      header.schema = { version: code.version + 1, migration: '9999_from_the_future' };
      lines[0] = JSON.stringify(header);
    });
    const target = await empty();
    await refused(
      target.database,
      newer,
      new RegExp(
        `schema version ${code.version + 1} \\(9999_from_the_future\\), newer than this release's ${code.version} \\(${code.migration}\\)`,
      ),
    );
  });

  it('a changed row (its checksum), on an empty database and on one holding data', async () => {
    const damaged = await edited('damaged.ndjson.gz', (lines) => {
      const at = lines.findIndex((line) => line.includes('"weight_kg":90'));
      lines[at] = lines[at]!.replace('"weight_kg":90', '"weight_kg":91');
    });
    const target = await empty();
    await refused(target.database, damaged, /damaged: the checksum of table body_measurements does not match; nothing was restored/);
    await restoreBackup(target.database, snapshot, { force: false });
    const before = await state(target.database);
    await expect(restoreBackup(target.database, damaged, { force: true })).rejects.toThrow(/checksum of table body_measurements/);
    expect(await state(target.database)).toBe(before);
  });

  it('a file cut short, and one that is no backup', async () => {
    const whole = await readFile(snapshot);
    const cut = path.join(folder, 'cut.ndjson.gz');
    await writeFile(cut, whole.subarray(0, whole.length - 40));
    const target = await empty();
    await refused(target.database, cut, /is damaged or cut short/);
    const other = path.join(folder, 'other.ndjson.gz');
    await writeFile(other, gzipSync('{"hello":"world"}\n'));
    await refused(target.database, other, /is not a Recomp backup/);
    await refused(target.database, path.join(folder, 'missing.ndjson.gz'), /no such file/, 2);
  });

  // Only a PostgreSQL database can be shared: the embedded one is locked by the service (src/db/client.ts).
  if (engine === 'postgres')
    it('a database a running service is using, unless forced', async () => {
      const target = await empty();
      const service = postgres(target.url!, { max: 1, connection: { application_name: 'recomp 1 0000' } });
      try {
        await service`select 1`;
        await refused(target.database, snapshot, /a Recomp service is using this database \(1 connections\): stop it first/, 2);
        await restoreBackup(target.database, snapshot, { force: true });
      } finally {
        await service.end();
      }
    });
});

describe('restore of an older snapshot', () => {
  it('builds the schema it was made at, loads it, and migrates it to this release', async () => {
    const all = migrations();
    const older = await empty();
    // A database made by the release before the last migration, with a person in it.
    await older.database.raw('write', async (query) => {
      await query('CREATE SCHEMA drizzle');
      await query('CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)');
      for (const migration of all.slice(0, -1)) {
        for (const statement of migration.statements) await query(statement);
        await query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', [migration.hash, migration.when]);
      }
      await query(`INSERT INTO users (id, email, password_hash, full_name, date_of_birth, gender, height_cm, preferred_calculation_method, activity_level)
        VALUES ('00000000-0000-4000-8000-000000000001', 'old@example.com', 'x', 'Old Release', '1980-01-01', 'female', 170, 'navy', 'sedentary')`);
    });
    const file = path.join(folder, 'older.ndjson.gz');
    const written = (await writeBackup(older.database, file))!;
    expect(written.schema).toEqual({ version: all.length - 1, migration: all.at(-2)!.tag });

    const target = await empty();
    const summary = await restoreBackup(target.database, file, { force: false });
    expect(summary.migrated).toEqual([all.at(-1)!.tag]);
    expect(await target.database.raw('snapshot', databaseSchema)).toEqual({ ...codeSchema(), unknown: 0 });
    const restored = (await writeBackup(target.database, path.join(folder, 'older-restored.ndjson.gz')))!;
    expect(restored.schema).toEqual(codeSchema());
    expect(restored.tables.find((table) => table.name === 'users')?.rows).toBe(1);
  });
});
