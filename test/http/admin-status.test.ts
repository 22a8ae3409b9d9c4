/** `recomp status` (src/admin/status.ts) on the test's database: the engine, the migrations applied, the accounts. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../../src/admin/tasks.ts';
import { loadConfig } from '../../src/config.ts';
import { users } from '../../src/db/schema.ts';
import { signUp } from '../helpers/api.ts';
import { createTestApp, databaseKind, type TestApp } from '../helpers/app.ts';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(async () => {
  await test.close();
});

describe('recomp status', () => {
  it('names the database, says how far its migrations are applied, and counts the accounts', async () => {
    await signUp(test.app);
    const url = databaseKind() === 'postgres' ? 'postgres://someone:a-secret@127.0.0.1:5432/recomp_test' : '';
    const config = loadConfig({ DATABASE_URL: url, RECOMP_DATA_DIR: '/srv/recomp' });
    const lines: string[] = [];
    // Other files may sign people up meanwhile (one database per run): the count lies between the two.
    const before = await test.database.db.$count(users);
    await tasks.status({ config, database: test.database, print: (line) => lines.push(line) }, {});
    const after = await test.database.db.$count(users);

    const journal = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../../drizzle/meta/_journal.json'), 'utf8'));
    const known = journal.entries.length;
    expect(lines.slice(0, 2)).toEqual([
      databaseKind() === 'postgres' ? 'database: PostgreSQL at 127.0.0.1:5432/recomp_test' : 'database: embedded (PGlite) in /srv/recomp',
      `migrations: all ${known} migrations applied`,
    ]);
    expect(lines[2]).toMatch(/^accounts: \d+$/);
    const accounts = Number(lines[2]!.slice('accounts: '.length));
    expect(accounts).toBeGreaterThanOrEqual(Math.max(before, 1));
    expect(accounts).toBeLessThanOrEqual(after);
    expect(lines.join('\n')).not.toContain('a-secret');
  });
});
