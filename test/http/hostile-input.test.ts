/**
 * Randomised hostile input: requests built from the OpenAPI document's own routes and fields, with
 * values that are plausible, at the edges, of the wrong type or absurd, and hostile headers. Whatever
 * arrives, the service answers below 500, every error is problem+json, and nothing of another
 * user's ever appears in an answer. HOSTILE_RUNS sets the count (10,000 by default).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysFrom, signUp, type Session } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp.ts';
import { navy } from '../helpers/people.ts';

let t: TestApp;
let session: Session;
let ids: string[];
let strangerMarks: string[];
let operations: { method: string; path: string; fields: string[] }[];

let sink: SmtpSink;

beforeAll(async () => {
  // With mail, so the password reset's routes get past their 501 to their bodies; its mails go to a local sink.
  sink = await startSmtpSink();
  t = await createTestApp({ env: { ...sink.env, PASSWORD_RESET_MAX_PER_ADDRESS: '0', PASSWORD_RESET_MAX_PER_ACCOUNT: '0' } });
  session = await signUp(t.app);
  const measurement = (await session.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-7) }))).body;
  const goal = (
    await session.api.post('/api/v1/goals', {
      goal_type: 'cutting',
      initial_measurement_id: measurement.id,
      target_body_fat_percentage: 15,
    })
  ).body;
  const stranger = await signUp(t.app);
  const foreign = (await stranger.api.post('/api/v1/measurements', navy())).body;
  const foreignGoal = (
    await stranger.api.post('/api/v1/goals', { goal_type: 'cutting', initial_measurement_id: foreign.id, target_body_fat_percentage: 15 })
  ).body;
  ids = [measurement.id, goal.id, foreign.id, foreignGoal.id, session.user.id];
  strangerMarks = [foreign.id, foreignGoal.id, stranger.user.id, stranger.user.email];
  const spec = (await session.api.get('/openapi.json')).body;
  operations = Object.entries(
    spec.paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>>,
  ).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      fields: Object.keys(op.requestBody?.content['application/json']?.schema.properties ?? {}),
    })),
  );
});
afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

const plausible: Record<string, unknown[]> = {
  weight_kg: [80, 30, 300],
  height_cm: [175, 120, 250],
  waist_cm: [90, 10, 200],
  neck_cm: [38],
  hip_cm: [95],
  chest_mm: [10, 1, 70],
  abdomen_mm: [20],
  thigh_mm: [15],
  tricep_mm: [12],
  suprailiac_mm: [11],
  midaxillary_mm: [10],
  subscapular_mm: [12],
  calculation_method: ['navy', '3_site', '7_site', 'NAVY'],
  goal_type: ['cutting', 'bulking', 'CUTTING'],
  status: ['abandoned', 'cancelled', 'active', 'completed'],
  gender: ['male', 'female'],
  activity_level: ['extra_active', 'sedentary'],
  preferred_calculation_method: ['navy'],
  units: ['metric', 'imperial'],
  target_body_fat_percentage: [12, 3, 50, 15],
  ceiling_body_fat_percentage: [20, 30, 3],
  measured_at: [daysFrom(0), daysFrom(7), '2025-11-10T04:41:32.706758Z', daysFrom(-400)],
  date_of_birth: ['1990-01-01', '2020-02-29'], // Not the session's password: a random DELETE /users/me must not end the run's session.
  email: ['a@example.com'],
  password: ['AnotherPassword1!'],
  full_name: ['Load Test User'],
  notes: ['fine'],
  refresh_token: ['x.y.z'],
  token: ['A'.repeat(43)],
  new_password: ['AnotherPassword2!'],
  calories: [2000, 0, 15_000],
  complete: [true, false],
  replace: [true, false],
};

/** Stands in a value for bytes that are not UTF-8, put into the body in its place (`payloadOf`). */
const INVALID_UTF8 = '<invalid utf-8>';

const hostileScalar = fc.oneof(
  fc.double({ noNaN: true }),
  fc.integer(),
  fc.constantFrom(0, -1, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 49.999, 50.001),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    '0x10',
    '1e3',
    '../../etc/passwd',
    "'; drop table users; --",
    '\u0000',
    '💪'.repeat(50),
    'a'.repeat(3000),
  ),
  // Text that cannot be stored as it is: NUL, either half of a surrogate pair alone (sent as JSON escapes), bytes that are not UTF-8.
  fc.constantFrom('a\u0000b', '\ud800', 'x\udfffy', '\udc00\ud800', INVALID_UTF8, `Ann${INVALID_UTF8}`),
  // Text that can, and must come back as it was: a leading BOM, invisible characters, a real U+FFFD.
  fc.constantFrom('\ufeffname', '\u200b', '\u200d\u200c', '\ufffd', 'Zoe\u0308'),
  fc.boolean(),
  fc.constant(null),
);
const hostileValue = fc.oneof(
  { depthSize: 'small' },
  hostileScalar,
  fc.array(hostileScalar, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), hostileScalar, { maxKeys: 3 }),
);

function valueFor(field: string) {
  const known = plausible[field];
  const idLike = field.endsWith('_id') ? fc.constantFrom(...ids, '00000000-0000-4000-8000-000000000000', 'not-a-uuid') : null;
  return fc.oneof(...[known ? fc.constantFrom(...known) : null, idLike, hostileValue].filter((a) => a !== null));
}

const request = fc.integer({ min: 0, max: 10_000 }).chain((index) => {
  const op = operations[index % operations.length]!;
  const body =
    op.fields.length === 0
      ? fc.constant(undefined)
      : fc.oneof(
          { weight: 4, arbitrary: fc.record(Object.fromEntries(op.fields.map((f) => [f, valueFor(f)])), { requiredKeys: [] }) },
          { weight: 1, arbitrary: hostileValue },
        );
  const pathValue = fc.oneof(
    fc.constantFrom(...ids),
    fc.constantFrom('not-a-uuid', '%00', '..', 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF', 'a'.repeat(300)),
  );
  const query = fc.oneof(
    fc.constant(''),
    fc.constantFrom(
      '?limit=1',
      '?limit=0',
      '?limit=-5',
      '?limit=abc',
      '?offset=99999999999',
      '?status=ACTIVE',
      '?status=bogus',
      '?limit=1&limit=2',
      '?status=%00',
      '?status=%ED%A0%80',
      '?limit=%FF',
      '?from=2024-01-01%00',
      '?unit=%C3',
    ),
  );
  const auth = fc.constantFrom('valid', 'valid', 'none', 'garbage', 'refresh', 'basic');
  const headers = fc.dictionary(
    fc.constantFrom('idempotency-key', 'x-request-id', 'accept', 'origin', 'x-forwarded-for', 'accept-encoding'),
    fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('a'.repeat(400), '*/*', 'text/csv', 'null', '127.0.0.1, 10.0.0.1', 'gzip')),
    { maxKeys: 3 },
  );
  const contentType = fc.constantFrom(
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'APPLICATION/JSON',
    'application/json; charset=latin1',
    'application/json; charset=UTF8',
    'text/csv; charset=latin1',
  );
  return fc.record({ op: fc.constant(op), body, pathValue, query, auth, headers, contentType });
});

/** The body's JSON text, as bytes where it holds INVALID_UTF8 (a lone FF and a cut-off euro sign in its place). */
function payloadOf(body: unknown): string | Buffer {
  const text = JSON.stringify(body);
  if (!text.includes(INVALID_UTF8)) return text;
  return Buffer.concat(
    text.split(INVALID_UTF8).flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.from([0xff, 0xe2, 0x82]), Buffer.from(part)])),
  );
}

describe('hostile input', () => {
  it('never answers 5xx and always answers errors with problem details', async () => {
    let sent = 0;
    const runs = Number(process.env.HOSTILE_RUNS ?? 10_000);
    await fc.assert(
      fc.asyncProperty(request, async ({ op, body, pathValue, query, auth, headers, contentType }) => {
        const url = op.path.replace(/\{[^}]+\}/g, encodeURIComponent(pathValue)) + query;
        const sentHeaders: Record<string, string> = { ...headers };
        if (auth === 'valid') sentHeaders.authorization = `Bearer ${session.tokens.access_token}`;
        if (auth === 'refresh') sentHeaders.authorization = `Bearer ${session.tokens.refresh_token}`;
        if (auth === 'garbage') sentHeaders.authorization = 'Bearer eyJhbGciOiJub25lIn0.e30.';
        if (auth === 'basic') sentHeaders.authorization = 'Basic dXNlcjpwYXNz';
        if (body !== undefined) sentHeaders['content-type'] = contentType;
        const response = await t.app.inject({
          method: op.method as 'GET',
          url,
          headers: sentHeaders,
          ...(body === undefined ? {} : { payload: payloadOf(body) }),
        });
        sent++;
        const context = `${op.method} ${url} ${JSON.stringify(sentHeaders).slice(0, 200)} ${JSON.stringify(body)?.slice(0, 300)} → ${response.body.slice(0, 300)}`;
        expect(response.statusCode, context).toBeLessThan(500);
        if (response.statusCode >= 400) expect(response.headers['content-type'], context).toMatch(/^application\/problem\+json/);
        // A stranger's id the caller sent may be echoed (in `instance`); nothing else of theirs may appear.
        const sentText = `${url} ${JSON.stringify(body)}`;
        for (const mark of strangerMarks) if (!sentText.includes(mark)) expect(response.body, context).not.toContain(mark);
      }),
      { numRuns: runs },
    );
    expect(sent).toBe(runs);
    // A fixed amount of work (HOSTILE_RUNS requests): 10–20 s on a quiet machine, more while other suites share the cores.
  }, 300_000);
});
