/**
 * Imports as jobs through the HTTP API (docs/DESIGN.md, 'Imports'): 202 and polling, idempotence,
 * dry runs, keep and replace, every refusal with the data left as it was, the person's own imports
 * only, the spool always emptied, and the imports in the person's export and gone with the account.
 */
import { Readable } from 'node:stream';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { imports } from '../../src/db/schema.ts';
import { buildApp } from '../../src/http/app.ts';
import { expectProblem, PASSWORD, type Session, signUp } from '../helpers/api.ts';
import { createTestApp, TEST_SECRET, type TestApp } from '../helpers/app.ts';
import { ended, imported, sendFile, spoolFolder, storedWeights } from '../helpers/imports.ts';

const MAX_BYTES = 256 * 1024;
let t: TestApp;
let spool: Awaited<ReturnType<typeof spoolFolder>>;
beforeAll(async () => {
  spool = await spoolFolder();
  t = await createTestApp({ env: { IMPORT_SPOOL_DIR: spool.dir, IMPORT_MAX_BYTES: String(MAX_BYTES) } });
});
afterAll(async () => {
  await t.close();
  await spool.remove();
});

const born = { date_of_birth: '1980-01-01' };
const csv = (rows: [string, number | string][]) => `date,weight\n${rows.map(([day, kg]) => `${day},${kg}`).join('\n')}\n`;
const MARCH = csv([
  ['2024-03-01', 80.4],
  ['2024-03-02', 80.1],
  ['2024-03-03', 79.8],
]);
const weights = async (session: Session) => storedWeights(session.api, '2024-01-01', '2024-12-31');
const kilos = async (session: Session) => Object.fromEntries(Object.entries(await weights(session)).map(([day, w]) => [day, w.weight_kg]));
const days = (counts: Partial<Record<'imported' | 'updated' | 'unchanged' | 'kept' | 'rejected', number>>) => ({
  imported: 0,
  updated: 0,
  unchanged: 0,
  kept: 0,
  rejected: 0,
  ...counts,
});

describe('an import', () => {
  it('answers 202 with the import and its Location, and its job stores the days', async () => {
    const person = await signUp(t.app, born);
    const started = await sendFile(t.app, person.api.token!, MARCH);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ id: expect.any(String), status: 'running', format: 'weights_csv', progress: expect.any(Number) });
    expect(started.headers.location).toBe(`/api/v1/users/me/imports/${started.body.id}`);
    expect(started.headers['cache-control']).toBe('no-store');

    const job = await ended(person.api, started.body.id);
    expect((await person.api.get(String(started.headers.location))).body).toEqual(job);
    expect(job).toMatchObject({
      status: 'done',
      format: 'weights_csv',
      progress: 1,
      error: null,
      dry_run: false,
      on_conflict: 'keep',
      size_bytes: Buffer.byteLength(MARCH),
      created_at: started.body.created_at,
      finished_at: expect.any(String),
      report: {
        weights: days({ imported: 3 }),
        intake: days({}),
        first_date: '2024-03-01',
        last_date: '2024-03-03',
        rows_rejected: 0,
        rejected_rows: [],
        weight_unit: 'kg',
        days_done: 3,
        days_total: 3,
      },
    });
    expect(await weights(person)).toEqual({
      '2024-03-01': { weight_kg: 80.4, source: 'import' },
      '2024-03-02': { weight_kg: 80.1, source: 'import' },
      '2024-03-03': { weight_kg: 79.8, source: 'import' },
    });
    expect(await spool.files()).toEqual([]);
  });

  it('is idempotent: the same file again finds every day unchanged', async () => {
    const person = await signUp(t.app, born);
    expect((await imported(t.app, person.api, MARCH)).report.weights).toEqual(days({ imported: 3 }));
    const again = await imported(t.app, person.api, MARCH);
    expect(again.report).toMatchObject({ weights: days({ unchanged: 3 }), days_done: 3 });
    expect(await kilos(person)).toEqual({ '2024-03-01': 80.4, '2024-03-02': 80.1, '2024-03-03': 79.8 });
  });

  it('stores nothing on a dry run, and reports what the import would do', async () => {
    const person = await signUp(t.app, born);
    await person.api.put('/api/v1/users/me/weights/2024-03-02', { weight_kg: 82 });
    const file = `${MARCH}2024-03-04,oops\n1979-06-01,80\n`;
    const dry = await imported(t.app, person.api, file, { query: '?dry_run=true' });
    expect(dry).toMatchObject({ status: 'done', dry_run: true, progress: 1 });
    expect(await weights(person)).toEqual({ '2024-03-02': { weight_kg: 82, source: 'manual' } });
    const real = await imported(t.app, person.api, file);
    expect(real.report).toEqual(dry.report);
    expect(real.report).toMatchObject({ weights: days({ imported: 2, kept: 1, rejected: 1 }), rows_rejected: 1 });
    expect(await kilos(person)).toEqual({ '2024-03-01': 80.4, '2024-03-02': 82, '2024-03-03': 79.8 });
  });

  it('keeps a day entered by hand by default, replaces it with on_conflict=replace, and leaves one with the same value alone', async () => {
    const person = await signUp(t.app, born);
    await person.api.put('/api/v1/users/me/weights/2024-03-01', { weight_kg: 80.4 });
    await person.api.put('/api/v1/users/me/weights/2024-03-02', { weight_kg: 82 });
    const kept = await imported(t.app, person.api, MARCH);
    expect(kept.report.weights).toEqual(days({ imported: 1, unchanged: 1, kept: 1 }));
    expect(await weights(person)).toMatchObject({
      '2024-03-01': { weight_kg: 80.4, source: 'manual' },
      '2024-03-02': { weight_kg: 82, source: 'manual' },
    });

    const replaced = await imported(t.app, person.api, MARCH, { query: '?on_conflict=replace' });
    expect(replaced).toMatchObject({ on_conflict: 'replace', report: { weights: days({ updated: 1, unchanged: 2 }) } });
    expect(await weights(person)).toEqual({
      '2024-03-01': { weight_kg: 80.4, source: 'manual' },
      '2024-03-02': { weight_kg: 80.1, source: 'import' },
      '2024-03-03': { weight_kg: 79.8, source: 'import' },
    });
  });

  it('updates a day an earlier import stored when a newer file gives another value', async () => {
    const person = await signUp(t.app, born);
    await imported(t.app, person.api, MARCH);
    const newer = await imported(
      t.app,
      person.api,
      csv([
        ['2024-03-02', 79.5],
        ['2024-03-03', 79.8],
        ['2024-03-04', 79.4],
      ]),
    );
    expect(newer.report.weights).toEqual(days({ imported: 1, updated: 1, unchanged: 1 }));
    expect(await kilos(person)).toEqual({ '2024-03-01': 80.4, '2024-03-02': 79.5, '2024-03-03': 79.8, '2024-03-04': 79.4 });
  });

  it('refuses days before the date of birth and after tomorrow, listing them', async () => {
    const person = await signUp(t.app, born);
    const later = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const job = await imported(
      t.app,
      person.api,
      csv([
        ['1979-12-31', 80],
        ['2024-03-01', 80.4],
        [later, 80],
      ]),
    );
    expect(job.report).toMatchObject({ weights: days({ imported: 1, rejected: 2 }), first_date: '2024-03-01', last_date: '2024-03-01' });
    expect(job.report.rejected_rows).toEqual([
      { where: 'line 2', reason: '1979-12-31 is before the date of birth' },
      { where: 'line 4', reason: `${later} is in the future` },
    ]);
  });

  it('fails a file that turns out unreadable, at its start or far into it, with its reason, storing nothing', async () => {
    const person = await signUp(t.app, born);
    const rows = '2024-03-01,80\n'.repeat(6000);
    for (const [start, end] of [
      ['date,weight\n2024-03-01,80\n2024-03-02,8', '\n'],
      [`date,weight\n${rows}2024-03-02,8`, `\n${rows}`],
    ]) {
      const job = await imported(t.app, person.api, Buffer.concat([Buffer.from(start!), Buffer.from([0xff, 0xfe]), Buffer.from(end!)]));
      expect(job).toMatchObject({
        status: 'failed',
        error: { code: 'unreadable_file', message: expect.stringMatching(/UTF-8/) },
        finished_at: expect.any(String),
      });
    }
    expect(await weights(person)).toEqual({});
    expect(await spool.files()).toEqual([]);
  });
});

describe('a file refused at once', () => {
  const zipStart = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
  const refusals: [
    label: string,
    file: Buffer | string | (() => Readable) | undefined,
    contentType: string,
    status: number,
    code: string,
  ][] = [
    ['an empty body', '', 'text/csv', 422, 'empty_file'],
    ['no body', undefined, '', 422, 'empty_file'],
    ['text in no known format', 'hello\nthis is not an export\n', 'text/csv', 422, 'unknown_format'],
    ['a corrupt ZIP archive', Buffer.concat([zipStart, Buffer.alloc(200, 7)]), 'application/zip', 422, 'corrupt_archive'],
    [
      'a ZIP archive of nothing known',
      Buffer.from('504b0506000000000000000000000000000000000000', 'hex'),
      'application/zip',
      422,
      'unknown_format',
    ],
    [
      'XML that is not an Apple Health export',
      '<?xml version="1.0"?>\n<note><to>Ann</to></note>\n',
      'application/xml',
      422,
      'not_apple_health',
    ],
    ['a file over IMPORT_MAX_BYTES', `date,weight\n${'2024-03-01,80\n'.repeat(MAX_BYTES / 14 + 1)}`, 'text/csv', 413, 'file_too_large'],
    [
      'a file over IMPORT_MAX_BYTES, its length not declared',
      () => Readable.from(Array.from({ length: 40 }, () => Buffer.alloc(8192, 0x41))),
      'application/octet-stream',
      413,
      'file_too_large',
    ],
    ['JSON', '{"weights": []}', 'application/json', 415, 'unsupported_media_type'],
    ['a media type it does not take', 'date,weight\n', 'text/plain', 415, 'fst_err_ctp_invalid_media_type'],
  ];

  it.each(refusals)('refuses %s, leaving the data and the spool as they were', async (_label, file, contentType, status, code) => {
    const person = await signUp(t.app, born);
    await person.api.put('/api/v1/users/me/weights/2024-03-02', { weight_kg: 82 });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users/me/imports',
      headers: { authorization: `Bearer ${person.api.token}`, ...(contentType ? { 'content-type': contentType } : {}) },
      ...(file === undefined ? {} : { payload: typeof file === 'function' ? file() : file }),
    });
    const body = JSON.parse(response.body);
    expectProblem({ status: response.statusCode, body, headers: response.headers }, status);
    expect(body.code).toBe(code);
    if (code === 'unknown_format') expect(body.detail).toMatch(/CSV of daily weigh-ins/);
    expect(await weights(person)).toEqual({ '2024-03-02': { weight_kg: 82, source: 'manual' } });
    expect((await person.api.get('/api/v1/users/me/imports')).body).toEqual({ imports: [], total: 0 });
    expect(await spool.files()).toEqual([]);
  });
});

describe('a query refused once the file is in', () => {
  it('is a 422 naming the field, and the file received is removed', async () => {
    const person = await signUp(t.app, born);
    const refused = await sendFile(t.app, person.api.token!, MARCH, { query: '?on_conflict=overwrite' });
    expectProblem(refused, 422);
    expect(refused.body.errors).toEqual([{ field: 'query.on_conflict', message: expect.any(String) }]);
    await vi.waitFor(async () => expect(await spool.files()).toEqual([]), { timeout: 5000, interval: 20 });
    expect(await weights(person)).toEqual({});
  });
});

describe("a person's imports", () => {
  it("are listed newest first and paged, and another person's id is a 404", async () => {
    const person = await signUp(t.app, born);
    const ids: string[] = [];
    for (const file of [MARCH, csv([['2024-04-01', 80]]), csv([['2024-05-01', 79]])])
      ids.push((await imported(t.app, person.api, file)).id);
    const list = (await person.api.get('/api/v1/users/me/imports')).body;
    expect(list.total).toBe(3);
    expect(list.imports.map((i: { id: string }) => i.id)).toEqual([...ids].reverse());
    expect(list.imports[0]).toEqual((await person.api.get(`/api/v1/users/me/imports/${ids[2]}`)).body);
    expect((await person.api.get('/api/v1/users/me/imports?limit=2&offset=2')).body).toMatchObject({ total: 3, imports: [{ id: ids[0] }] });
    expect((await person.api.get('/api/v1/users/me/imports?offset=10')).body).toEqual({ imports: [], total: 3 });

    const stranger = await signUp(t.app, born);
    const foreign = await stranger.api.get(`/api/v1/users/me/imports/${ids[0]}`);
    expectProblem(foreign, 404);
    expect(JSON.stringify(foreign.body)).not.toContain(person.user.email);
    expectProblem(await person.api.get('/api/v1/users/me/imports/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await person.api.get('/api/v1/users/me/imports/not-an-id'), 422);
    expect((await stranger.api.get('/api/v1/users/me/imports')).body).toEqual({ imports: [], total: 0 });
  });

  it("are in the person's export and go with their account", async () => {
    const person = await signUp(t.app, born);
    const job = await imported(t.app, person.api, MARCH);
    expect((await person.api.get('/api/v1/users/me/export')).body.imports).toEqual([job]);
    expect((await person.api.request('DELETE', '/api/v1/users/me', { password: PASSWORD })).status).toBe(204);
    const [left] = await t.database.db.select({ n: count() }).from(imports).where(eq(imports.userId, person.user.id));
    expect(left!.n).toBe(0);
  });
});

describe('an instance that stopped mid-import', () => {
  it("has its running imports marked failed (interrupted) by the next instance to start, and no other instance's", async () => {
    const person = await signUp(t.app, born);
    const row = (heartbeat: string) => ({
      userId: person.user.id,
      format: 'weights_csv' as const,
      dryRun: false,
      onConflict: 'keep' as const,
      heartbeatAt: sql`now() - ${heartbeat}::interval` as unknown as Date,
    });
    const [stopped, alive] = await t.database.db
      .insert(imports)
      .values([row('10 minutes'), row('0 seconds')])
      .returning();
    // Another instance starts on the same database (docs/DEPLOY.md, 'Many instances'): its start-up sweep runs.
    const other = await buildApp({
      config: loadConfig({ NODE_ENV: 'test', IMPORT_SPOOL_DIR: spool.dir }),
      database: t.database,
      jwtSecret: TEST_SECRET,
    });
    await other.ready();
    await other.close();
    const stoppedNow = (await person.api.get(`/api/v1/users/me/imports/${stopped!.id}`)).body;
    expect(stoppedNow).toMatchObject({
      status: 'failed',
      finished_at: expect.any(String),
      error: { code: 'interrupted', message: 'The service stopped during the import; import the file again' },
    });
    expect((await person.api.get(`/api/v1/users/me/imports/${alive!.id}`)).body).toMatchObject({
      status: 'running',
      error: null,
      finished_at: null,
    });
    await t.database.db.delete(imports).where(eq(imports.id, alive!.id));
  });
});
