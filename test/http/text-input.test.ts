/**
 * Text that cannot be stored exactly is refused, and stored text comes back exactly (src/http/text.ts,
 * src/db/pglite-text.ts): every string of every JSON body, string query parameter and path parameter,
 * taken from the OpenAPI document, refuses a NUL, either half of a surrogate pair alone and bytes that
 * are not UTF-8 with a 422 naming the field, and a charset other than UTF-8 with a 415.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, daysFrom, expectProblem, profile, type Session, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { navy } from '../helpers/people.ts';

let t: TestApp;
let session: Session;
let anonymous: Api;

interface Parameter {
  name: string;
  in: string;
  schema: Schema;
}
interface Schema {
  type?: string | string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

let operations: { method: string; path: string; bodyFields: string[]; queryFields: string[]; pathFields: string[] }[];

const isString = (schema: Schema): boolean =>
  schema.type === 'string' ||
  (Array.isArray(schema.type) && schema.type.includes('string')) ||
  [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some(isString);

beforeAll(async () => {
  t = await createTestApp();
  anonymous = new Api(t.app);
  session = await signUp(t.app);
  const spec = (await session.api.get('/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
  operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      bodyFields: Object.entries(op.requestBody?.content['application/json']?.schema.properties ?? {})
        .filter(([, s]) => isString(s))
        .map(([name]) => name),
      queryFields: (op.parameters ?? []).filter((p) => p.in === 'query' && isString(p.schema)).map((p) => p.name),
      pathFields: (op.parameters ?? []).filter((p) => p.in === 'path' && isString(p.schema)).map((p) => p.name),
    })),
  );
});
afterAll(async () => {
  await t.close();
});

const SOME_ID = '00000000-0000-4000-8000-000000000000';
const urlOf = (path: string) => path.replace(/\{[^}]+\}/g, SOME_ID);

/** A request with the session's token and a body of raw bytes. */
const send = (method: string, url: string, payload: Buffer | string, contentType = 'application/json') =>
  t.app.inject({
    method: method as 'POST',
    url,
    payload,
    headers: { authorization: `Bearer ${session.tokens.access_token}`, 'content-type': contentType },
  });

const NUL = /NUL/;
const SURROGATE = /surrogate/;
const NOT_UTF8 = /UTF-8/;

/** Each value as the JSON text of a string, the message it must get, and the code. */
const unstorable: [label: string, json: Buffer, message: RegExp, code: string][] = [
  ['a NUL', Buffer.from(JSON.stringify('a\u0000b')), NUL, 'validation_failed'],
  ['a lone high surrogate (escaped)', Buffer.from('"a\\ud800b"'), SURROGATE, 'validation_failed'],
  ['a lone low surrogate (escaped)', Buffer.from('"\\udfff"'), SURROGATE, 'validation_failed'],
  ['a surrogate pair in the wrong order', Buffer.from('"\\udc00\\ud800"'), SURROGATE, 'validation_failed'],
  ['the byte FF', Buffer.from([0x22, 0xff, 0x22]), NOT_UTF8, 'invalid_utf8'],
  ['a surrogate encoded as UTF-8 bytes', Buffer.from([0x22, 0x61, 0xed, 0xa0, 0x80, 0x22]), NOT_UTF8, 'invalid_utf8'],
  ['a Latin-1 é', Buffer.from([0x22, 0x63, 0x61, 0x66, 0xe9, 0x22]), NOT_UTF8, 'invalid_utf8'],
  [
    'a cut-off character beside a real U+FFFD',
    Buffer.concat([Buffer.from('"\ufffd'), Buffer.from([0xe2, 0x82]), Buffer.from('"')]),
    NOT_UTF8,
    'invalid_utf8',
  ],
];

describe('text that cannot be stored', () => {
  it('finds string fields in bodies, queries and paths to try', () => {
    const fields = operations.flatMap((op) => op.bodyFields.map((f) => `${op.method} ${op.path} ${f}`));
    expect(fields).toEqual(
      expect.arrayContaining([
        'POST /api/v1/users full_name',
        'PATCH /api/v1/users/me full_name',
        'POST /api/v1/measurements notes',
        'POST /api/v1/goals/{goal_id}/progress notes',
        'POST /api/v1/auth/login password',
      ]),
    );
    expect(operations.some((op) => op.queryFields.includes('status'))).toBe(true);
    expect(operations.some((op) => op.pathFields.includes('goal_id'))).toBe(true);
  });

  it.each(unstorable)(
    'refuses %s in every string field of every JSON body with 422 naming the field',
    async (_label, json, message, code) => {
      let tried = 0;
      for (const op of operations) {
        for (const field of op.bodyFields) {
          const payload = Buffer.concat([Buffer.from(`{${JSON.stringify(field)}:`), json, Buffer.from('}')]);
          const response = await send(op.method, urlOf(op.path), payload);
          const context = `${op.method} ${op.path} ${field}: ${response.body}`;
          expect(response.statusCode, context).toBe(422);
          expect(JSON.parse(response.body), context).toMatchObject({
            code,
            errors: [{ field: `body.${field}`, message: expect.stringMatching(message) }],
          });
          tried++;
        }
      }
      expect(tried).toBeGreaterThan(20);
    },
  );

  it('names the field inside nested values and refuses a bad property name', async () => {
    const nested = await send('POST', '/api/v1/measurements', JSON.stringify({ notes: 'x', extra: [{ a: 'ok' }, { b: '\u0000' }] }));
    expect(JSON.parse(nested.body)).toMatchObject({
      status: 422,
      errors: [{ field: 'body.extra.1.b', message: expect.stringMatching(NUL) }],
    });
    const key = await send('POST', '/api/v1/measurements', '{"no\\u0000tes": "x"}');
    expect(JSON.parse(key.body)).toMatchObject({
      status: 422,
      errors: [{ field: 'body.no\u0000tes', message: expect.stringMatching(NUL) }],
    });
    const outside = await send('POST', '/api/v1/measurements', Buffer.from([0x7b, 0xff, 0x7d]));
    expect(JSON.parse(outside.body)).toMatchObject({
      status: 422,
      code: 'invalid_utf8',
      errors: [{ field: 'body', message: expect.stringMatching(NOT_UTF8) }],
    });
  });

  it('answers a body declared in another charset with 415 and takes UTF-8 in any spelling', async () => {
    const latin1 = Buffer.from('{"email":"a@example.com","password":"caf\u00e9caf\u00e9"}', 'latin1');
    for (const contentType of [
      'application/json; charset=latin1',
      'application/json; charset=ISO-8859-1',
      'application/json;charset="windows-1252"',
      'application/json; charset=utf-16',
    ]) {
      for (const op of operations.filter((o) => o.bodyFields.length > 0)) {
        const response = await send(op.method, urlOf(op.path), latin1, contentType);
        expect(response.statusCode, `${contentType} ${op.method} ${op.path}`).toBe(415);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(response.body)).toMatchObject({ status: 415, code: 'unsupported_charset' });
      }
    }
    const registered = profile();
    expect((await anonymous.post('/api/v1/users', registered)).status).toBe(201);
    for (const contentType of [
      'application/json; charset=UTF-8',
      'application/json; charset=utf8',
      'application/json;charset="utf-8"',
      'Application/JSON; Charset=Utf-8',
    ]) {
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': contentType },
        payload: JSON.stringify({ email: registered.email, password: registered.password }),
      });
      expect(login.statusCode, contentType).toBe(200);
    }
  });

  it('refuses a NUL, a surrogate and bad percent-encoding in every string query and path parameter with 422 naming it', async () => {
    let tried = 0;
    for (const op of operations) {
      for (const name of op.queryFields) {
        for (const [value, message] of [
          ['%00', NUL],
          ['a%00', NUL],
          ['%ED%A0%80', NOT_UTF8],
          ['%FF', NOT_UTF8],
          ['%C3', NOT_UTF8],
          ['%ZZ', NOT_UTF8],
        ] as const) {
          const response = await send(op.method, `${urlOf(op.path)}?${name}=${value}`, '');
          const context = `${op.method} ${op.path}?${name}=${value}: ${response.body}`;
          expect(response.statusCode, context).toBe(422);
          expect(JSON.parse(response.body), context).toMatchObject({
            errors: [{ field: `query.${name}`, message: expect.stringMatching(message) }],
          });
          tried++;
        }
      }
      for (const name of op.pathFields) {
        const response = await send(op.method, op.path.replace(`{${name}}`, 'a%00b').replace(/\{[^}]+\}/g, SOME_ID), '');
        const context = `${op.method} ${op.path} ${name}: ${response.body}`;
        expect(response.statusCode, context).toBe(422);
        expect(JSON.parse(response.body), context).toMatchObject({
          errors: [{ field: `path.${name}`, message: expect.stringMatching(NUL) }],
        });
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(20);
  });

  it('refuses a NUL in a name or notes instead of failing in the database', async () => {
    expectProblem(await session.api.patch('/api/v1/users/me', { full_name: 'Ann\u0000' }), 422);
    const measurement = await session.api.post('/api/v1/measurements', navy({ notes: 'a\u0000b' }));
    expectProblem(measurement, 422);
    expect(measurement.body.errors).toEqual([{ field: 'body.notes', message: expect.stringMatching(NUL) }]);
    const first = await session.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-7) }));
    const goal = await session.api.post('/api/v1/goals', {
      goal_type: 'cutting',
      initial_measurement_id: first.body.id,
      target_body_fat_percentage: 15,
    });
    const second = await session.api.post('/api/v1/measurements', navy({ weight_kg: 89 }));
    const progress = await session.api.post(`/api/v1/goals/${goal.body.id}/progress`, { measurement_id: second.body.id, notes: '\u0000' });
    expectProblem(progress, 422);
    expect(progress.body.errors).toEqual([{ field: 'body.notes', message: expect.stringMatching(NUL) }]);
    expect((await session.api.get(`/api/v1/goals/${goal.body.id}/progress`)).body).toEqual([]);
    expect((await session.api.get('/api/v1/users/me')).body.full_name).toBe(session.user.full_name);
  });

  it('refuses a password with an unpaired surrogate, so no other password can stand for it', async () => {
    const body = profile({ password: 'Password1\ud800' });
    const registered = await anonymous.post('/api/v1/users', body);
    expectProblem(registered, 422);
    expect(registered.body.errors).toEqual([{ field: 'body.password', message: expect.stringMatching(SURROGATE) }]);
    for (const password of ['Password1\ud800', 'Password1\udfff', 'Password1\ufffd']) {
      const login = await anonymous.post('/api/v1/auth/login', { email: body.email, password });
      expect(login.status, password).not.toBe(200);
      expect([401, 422]).toContain(login.status);
    }
    // A password with a real U+FFFD is a password like any other.
    const withReplacement = profile({ password: 'Password1\ufffd' });
    expect((await anonymous.post('/api/v1/users', withReplacement)).status).toBe(201);
    expect((await anonymous.post('/api/v1/auth/login', { email: withReplacement.email, password: 'Password1\udfff' })).status).toBe(422);
    expect((await anonymous.post('/api/v1/auth/login', { email: withReplacement.email, password: 'Password1\ufffd' })).status).toBe(200);
  });
});

describe('the weigh-in CSV import', () => {
  const importCsv = (payload: Buffer, contentType = 'text/csv') => send('POST', '/api/v1/users/me/weights/import', payload, contentType);

  it('answers another declared charset with 415', async () => {
    for (const contentType of ['text/csv; charset=latin1', 'text/csv; charset=windows-1252', 'text/plain; charset=utf-16le']) {
      const response = await importCsv(Buffer.from('date,weight\n2024-01-02,80\n', 'latin1'), contentType);
      expect(response.statusCode, contentType).toBe(415);
      expect(JSON.parse(response.body)).toMatchObject({ status: 415, code: 'unsupported_charset' });
    }
  });

  it('refuses a file that is not UTF-8, or holds NULs, with 422 and imports nothing', async () => {
    const files = [
      Buffer.concat([Buffer.from('date,weight,note\n2024-01-02,80,caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      Buffer.from('\ufeffdate,weight\n2024-01-02,80\n', 'utf16le'),
      Buffer.from('date,weight\n2024-01-02,80\n', 'utf16le'),
    ];
    for (const file of files) {
      const response = await importCsv(file);
      expect(response.statusCode, file.toString('hex').slice(0, 40)).toBe(422);
      expect(JSON.parse(response.body)).toMatchObject({ errors: [{ field: 'body', message: expect.stringMatching(/UTF-8|NUL/) }] });
    }
    expect(
      (await session.api.get('/api/v1/users/me/weights?from=2024-01-01&to=2024-01-03')).body.weights.filter(
        (w: { weight_kg: number | null }) => w.weight_kg !== null,
      ),
    ).toEqual([]);
  });

  it('still reads a UTF-8 file, with or without its charset named', async () => {
    for (const contentType of ['text/csv', 'text/csv; charset=utf-8']) {
      const response = await importCsv(
        Buffer.from('date,weight\n2024-02-0' + (contentType === 'text/csv' ? '1' : '2') + ',80\n'),
        contentType,
      );
      expect(response.statusCode, response.body).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ imported: 1 });
    }
  });
});

describe('stored text comes back exactly', () => {
  const BOM = '\ufeff';

  it('keeps a leading byte order mark in notes and names', async () => {
    const { api } = await signUp(t.app);
    const measurement = await api.post('/api/v1/measurements', navy({ notes: `${BOM}name`, measured_at: daysFrom(-7) }));
    expect(measurement.status).toBe(201);
    expect(measurement.body.notes).toBe(`${BOM}name`);
    expect((await api.get(`/api/v1/measurements/${measurement.body.id}`)).body.notes).toBe(`${BOM}name`);
    expect((await api.get('/api/v1/measurements')).body.measurements.map((m: { notes: string }) => m.notes)).toEqual([`${BOM}name`]);

    // A name is trimmed, and String.prototype.trim counts U+FEFF as white space: one inside stays.
    const named = await api.patch('/api/v1/users/me', { full_name: `${BOM}Zo${BOM}ë ` });
    expect(named.body.full_name).toBe(`Zo${BOM}ë`);
    expect((await api.get('/api/v1/users/me')).body.full_name).toBe(`Zo${BOM}ë`);

    const goal = await api.post('/api/v1/goals', {
      goal_type: 'cutting',
      initial_measurement_id: measurement.body.id,
      target_body_fat_percentage: 15,
    });
    const next = await api.post('/api/v1/measurements', navy({ weight_kg: 89, notes: `a${BOM}` }));
    expect((await api.get(`/api/v1/measurements/${next.body.id}`)).body.notes).toBe(`a${BOM}`);
    await api.post(`/api/v1/goals/${goal.body.id}/progress`, { measurement_id: next.body.id, notes: `${BOM}week 1` });
    expect((await api.get(`/api/v1/goals/${goal.body.id}/progress`)).body.map((e: { notes: string }) => e.notes)).toEqual([`${BOM}week 1`]);
  });

  it('keeps it on every query path of the database client', async () => {
    const rowsOf = (result: unknown) => ((result as { rows?: unknown[] }).rows ?? result) as { s: string }[];
    const withParameter = await t.database.db.execute(sql`select ${`${BOM}x`}::text as s`);
    expect(rowsOf(withParameter)[0]!.s).toBe(`${BOM}x`);
    const withoutParameter = await t.database.db.execute(sql.raw(`select convert_from('\\xefbbbf78'::bytea, 'UTF8') as s`));
    expect(rowsOf(withoutParameter)[0]!.s).toBe(`${BOM}x`);
    const inTransaction = await t.database.db.transaction(async (tx) => tx.execute(sql.raw(`select E'\\uFEFF\\uFEFFy' as s`)));
    expect(rowsOf(inTransaction)[0]!.s).toBe(`${BOM}${BOM}y`);
  });
});

describe('names that show', () => {
  it.each([
    ['a zero-width space', '\u200b'],
    ['zero-width joiners and non-joiners', '\u200d\u200c\u200d'],
    ['white space of several kinds', ' \u00a0\u2003\u3000\t'],
    ['a byte order mark', '\ufeff'],
    ['a Hangul filler', '\u3164'],
    ['a braille blank', '\u2800'],
    ['a combining mark alone', '\u0301'],
    ['direction marks', '\u200e\u200f\u202a'],
    ['a variation selector and a tag character', '\ufe0f\u{e0041}'],
  ])('refuses a name of only %s with 422', async (_label, name) => {
    const registered = await anonymous.post('/api/v1/users', profile({ full_name: name }));
    expectProblem(registered, 422);
    expect(registered.body.errors).toEqual([{ field: 'body.full_name', message: expect.any(String) }]);
    const patched = await session.api.patch('/api/v1/users/me', { full_name: name });
    expectProblem(patched, 422);
    expect(patched.body.errors).toEqual([{ field: 'body.full_name', message: expect.any(String) }]);
  });

  it.each([
    ['an emoji family (joined by U+200D)', '👨\u200d👩\u200d👧'],
    ['"Zoë" with a combining diaeresis (NFD)', 'Zoe\u0308'],
    ['a name among invisible characters', '\u200b Ann \u200d'],
    ['a single CJK character', '李'],
    ['a real U+FFFD', '\ufffd'],
  ])('accepts %s', async (_label, name) => {
    const registered = await anonymous.post('/api/v1/users', profile({ full_name: name }));
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    expect(registered.body.full_name).toBe(name);
  });
});

describe('UTC offsets', () => {
  const local = daysFrom(-3);

  it.each(['+14:00', '-12:00', '+1400', '-12', '+05:45', 'Z'])('accepts %s', async (offset) => {
    const response = await session.api.post('/api/v1/measurements', navy({ measured_at: `${local}${offset}` }));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const hours = offset === 'Z' ? '00:00' : offset.length === 3 ? `${offset.slice(1)}:00` : `${offset.slice(1, 3)}:${offset.slice(-2)}`;
    expect(Date.parse(response.body.measured_at)).toBe(Date.parse(`${local}${offset === 'Z' ? '+' : offset[0]}${hours}`));
  });

  it.each(['+14:01', '+23:59', '-12:01', '+15', '-1300', '+14:30'])('refuses %s with 422 naming the field', async (offset) => {
    const response = await session.api.post('/api/v1/measurements', navy({ measured_at: `${local}${offset}` }));
    expectProblem(response, 422);
    expect(response.body.errors).toEqual([{ field: 'body.measured_at', message: expect.stringMatching(/-12:00 to \+14:00/) }]);
  });
});
