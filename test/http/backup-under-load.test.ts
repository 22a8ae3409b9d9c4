import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreBackup } from '../../src/admin/backup/restore.ts';
import { writeBackup } from '../../src/admin/backup/write.ts';
import { signUp, uniqueEmail } from '../helpers/api.ts';
import { createTestApp, databaseKind, type TestApp } from '../helpers/app.ts';
import { emptyDatabase, type EmptyDatabase } from '../helpers/backup.ts';
import { navy } from '../helpers/people.ts';

// A backup taken while people sign up and log measurements is one consistent moment: restorable,
// holding everything committed before it began, and each person's entries a prefix of what they sent.
// The suites of a PostgreSQL run share its database: this one counts its own people, by their emails.

const WRITERS = 4;
const MEASUREMENTS_EACH = 3;

let t: TestApp;
let folder: string;
let target: EmptyDatabase;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'recomp-backup-load-'));
  t = await createTestApp();
  target = await emptyDatabase(databaseKind());
});

afterAll(async () => {
  await t.close();
  await target.drop();
  await rm(folder, { recursive: true, force: true });
});

describe('a backup under a load of writes', () => {
  it('is restorable and consistent, every count checked', async () => {
    const tag = `under-load-${randomBytes(4).toString('hex')}`;
    const committed = { users: 0, measurements: 0 };
    let stop = false;
    // Each writer signs a person up, then logs their measurements in order, notes "0", "1", "2".
    const writer = async () => {
      while (!stop) {
        const { api } = await signUp(t.app, { email: uniqueEmail(tag) });
        committed.users++;
        for (let i = 0; i < MEASUREMENTS_EACH; i++) {
          const response = await api.post('/api/v1/measurements', navy({ notes: String(i) }));
          expect(response.status, JSON.stringify(response.body)).toBe(201);
          committed.measurements++;
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    // Let the load get going, then take the snapshot in the middle of it.
    while (committed.measurements < 2 * WRITERS * MEASUREMENTS_EACH) await new Promise((resolve) => setTimeout(resolve, 20));
    const before = { ...committed };
    const file = path.join(folder, 'under-load.ndjson.gz');
    const summary = (await writeBackup(t.database, file))!;
    const after = { ...committed };
    stop = true;
    await Promise.all(writers);

    const restored = await restoreBackup(target.database, file, { force: false });
    expect(restored.tables).toEqual(summary.tables);
    // Everyone's measurements in the snapshot are the first ones they sent, none missing between.
    const people = await target.database.raw('snapshot', (query) =>
      query(
        `SELECT u.id, coalesce(string_agg(m.notes, ',' ORDER BY m.notes), '') AS notes
         FROM users u LEFT JOIN body_measurements m ON m.user_id = u.id WHERE starts_with(u.email, $1) GROUP BY u.id`,
        [tag],
      ),
    );
    const prefixes = Array.from({ length: MEASUREMENTS_EACH + 1 }, (_, n) => Array.from({ length: n }, (_, i) => String(i)).join(','));
    for (const person of people) expect(prefixes).toContain(person.notes);
    const measurements = people.reduce((n, person) => n + (person.notes === '' ? 0 : String(person.notes).split(',').length), 0);
    // Everything committed before the snapshot began, and nothing sent after it ended (a write may
    // commit before its answer is counted: one per writer).
    expect(people.length).toBeGreaterThanOrEqual(before.users);
    expect(people.length).toBeLessThanOrEqual(after.users + WRITERS);
    expect(measurements).toBeGreaterThanOrEqual(before.measurements);
    expect(measurements).toBeLessThanOrEqual(after.measurements + WRITERS);
  }, 120_000);
});
