import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreBackup } from '../../src/admin/backup/restore.ts';
import { writeBackup } from '../../src/admin/backup/write.ts';
import { userIdentities } from '../../src/db/schema.ts';
import { codeSchema } from '../../src/db/schema-version.ts';
import { type Api, signUp, uniqueEmail } from '../helpers/api.ts';
import { appOn, createTestApp, databaseKind, type TestApp } from '../helpers/app.ts';
import { emptyDatabase, type EmptyDatabase, exportsOf, otherEngine, readSnapshotFile } from '../helpers/backup.ts';
import { navy, quickstartMan } from '../helpers/people.ts';
import { seedSixWeekPerson } from '../helpers/sixWeekPerson.ts';

// A snapshot carries everything a person has from one engine to the other and back, byte for byte
// (docs/DEPLOY.md, "Backups and upgrades"; the format: docs/DESIGN.md, "Backups: the snapshot format").

const today = new Date();
let clock = today;
const now = () => clock;
const engine = databaseKind();
const other = otherEngine(engine);
const TAG = 'roundtrip-';

let source: TestApp;
let folder: string;
const dropped: EmptyDatabase[] = [];

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'recomp-backup-'));
  source = await createTestApp({ now });
  await seedSixWeekPerson(source.app, (at) => (clock = at), today, { email: uniqueEmail('roundtrip') });
  clock = today;
  for (const units of ['metric', 'imperial']) {
    const { api } = await signUp(source.app, {
      ...quickstartMan(),
      email: uniqueEmail('roundtrip'),
      full_name: `Name "quoted" \\ ${units} ✓ \ufeff`,
      units,
    });
    await measured(api);
    // Linked to a provider account (single sign-on): the link travels with the account.
    const me = await api.get('/api/v1/users/me');
    await source.database.db
      .insert(userIdentities)
      .values({ userId: me.body.id, issuer: 'https://idp.example.com', subject: `sub-${units}` });
  }
}, 120_000);

afterAll(async () => {
  await source.close();
  for (const database of dropped) await database.drop();
  await rm(folder, { recursive: true, force: true });
});

async function measured(api: Api) {
  for (const [days, notes] of [
    [-3, 'first\nline two\ttab'],
    [-1, null],
  ] as const) {
    const response = await api.post(
      '/api/v1/measurements',
      navy({ measured_at: new Date(Date.now() + days * 86_400_000).toISOString(), notes }),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  }
}

async function restoredApp(kind: typeof engine, file: string): Promise<TestApp> {
  const target = await emptyDatabase(kind);
  dropped.push(target);
  const summary = await restoreBackup(target.database, file, { force: false });
  expect(summary.migrated).toEqual([]);
  return appOn(target.database, { now });
}

describe(`a snapshot goes ${engine} → ${other} → ${engine}`, () => {
  it("keeps every person's export byte for byte, and the snapshot is the same from either engine", async () => {
    const before = await exportsOf(source.app, source.database, TAG);
    expect(before.size).toBe(3);

    const first = path.join(folder, 'first.ndjson.gz');
    const written = (await writeBackup(source.database, first))!;
    expect(written.schema).toEqual(codeSchema());
    const rows = Object.fromEntries(written.tables.map((table) => [table.name, table.rows]));
    // At least these people's rows (the suites of a PostgreSQL run share its database).
    expect(rows.users).toBeGreaterThanOrEqual(3);
    expect(rows.body_measurements).toBeGreaterThanOrEqual(11);
    expect(rows.progress_entries).toBeGreaterThanOrEqual(6);
    expect(rows.user_identities).toBeGreaterThanOrEqual(2);

    const there = await restoredApp(other, first);
    expect(await exportsOf(there.app, there.database, TAG)).toEqual(before);
    const second = path.join(folder, 'second.ndjson.gz');
    await writeBackup(there.database, second);
    await there.app.close();

    const back = await restoredApp(engine, second);
    expect(await exportsOf(back.app, back.database, TAG)).toEqual(before);
    await back.app.close();

    // Sign-ins made between the two backups (refresh tokens) aside, the rows are the same bytes.
    const a = await readSnapshotFile(first);
    const b = await readSnapshotFile(second);
    expect(a.header.source).toBe(engine);
    expect(b.header.source).toBe(other);
    const withoutSignIns = (snapshot: typeof a) => {
      const sections = snapshot.body.split(/^(?=\{"table":)/m);
      return sections.filter((section) => !section.startsWith('{"table":"refresh_tokens"}')).join('');
    };
    expect(withoutSignIns(b)).toBe(withoutSignIns(a));
    const tableOf = (snapshot: typeof a) => snapshot.header.tables.filter((table) => table.name !== 'refresh_tokens');
    expect(tableOf(b)).toEqual(tableOf(a));
  }, 120_000);
});
