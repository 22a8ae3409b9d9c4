/** Idempotent creation, sessions that end, and a person's data: export and deletion (docs/SECURITY.md). */
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goals, measurements, progressEntries, refreshTokens, users } from '../../src/db/schema.ts';
import { Api, daysFrom, expectProblem, PASSWORD, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { navy, quickstartMan } from '../helpers/people.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const withKey = (api: Api, url: string, body: unknown, key: string) => api.request('POST', url, body, { 'idempotency-key': key });

describe('Idempotency-Key', () => {
  it('replays the first response to a retried measurement and creates nothing new', async () => {
    const { api } = await signUp(t.app);
    const key = randomUUID();
    const body = navy();
    const first = await withKey(api, '/api/v1/measurements', body, key);
    expect(first.status).toBe(201);
    const retry = await withKey(api, '/api/v1/measurements', { ...body }, key);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await api.get('/api/v1/measurements')).body.total).toBe(1);

    const other = await withKey(api, '/api/v1/measurements', navy({ weight_kg: 91 }), key);
    expectProblem(other, 422);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect((await api.get('/api/v1/measurements')).body.total).toBe(1);
    // Without a key, or with a new one, requests create as usual.
    expect((await api.post('/api/v1/measurements', body)).status).toBe(201);
    expect((await withKey(api, '/api/v1/measurements', body, randomUUID())).status).toBe(201);
  });

  it('keys are per user', async () => {
    const one = await signUp(t.app);
    const two = await signUp(t.app);
    const key = 'shared-key-1';
    const a = await withKey(one.api, '/api/v1/measurements', navy(), key);
    const b = await withKey(two.api, '/api/v1/measurements', navy(), key);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('makes concurrent retries of a goal and a check-in create exactly one each', async () => {
    const { api } = await signUp(t.app, quickstartMan());
    const initial = (await api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-7) }))).body;
    const goalBody = { goal_type: 'cutting', initial_measurement_id: initial.id, target_body_fat_percentage: 15 };
    const goalKey = randomUUID();
    const goalsCreated = await Promise.all([1, 2, 3].map(() => withKey(api, '/api/v1/goals', goalBody, goalKey)));
    for (const r of goalsCreated) expect([201, 409]).toContain(r.status);
    const created = goalsCreated.filter((r) => r.status === 201);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    const goalId = created[0]!.body.id;
    expect((await api.get('/api/v1/goals')).body.total).toBe(1);

    const later = (await api.post('/api/v1/measurements', navy({ waist_cm: 94.2, weight_kg: 89.3 }))).body;
    const progressKey = randomUUID();
    const first = await withKey(api, `/api/v1/goals/${goalId}/progress`, { measurement_id: later.id }, progressKey);
    const again = await withKey(api, `/api/v1/goals/${goalId}/progress`, { measurement_id: later.id }, progressKey);
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await api.get(`/api/v1/goals/${goalId}/progress`)).body).toHaveLength(1);
  });

  it('replays a refusal too, and refuses a malformed key with 422', async () => {
    const { api } = await signUp(t.app);
    const key = randomUUID();
    const bad = navy({ waist_cm: 40, neck_cm: 41 });
    const first = await withKey(api, '/api/v1/measurements', bad, key);
    expectProblem(first, 400);
    const retry = await withKey(api, '/api/v1/measurements', bad, key);
    expectProblem(retry, 400);
    expect(retry.body).toEqual(first.body);
    const malformed = await withKey(api, '/api/v1/measurements', navy(), 'has spaces in it');
    expectProblem(malformed, 422);
    expect(malformed.body.errors[0].field).toBe('header.idempotency-key');
  });
});

describe('sessions', () => {
  it('logout ends the access token too', async () => {
    const { api } = await signUp(t.app);
    expect((await api.get('/api/v1/users/me')).status).toBe(200);
    expect((await api.post('/api/v1/auth/logout')).status).toBe(204);
    expectProblem(await api.get('/api/v1/users/me'), 401);
    expectProblem(await api.get('/api/v1/measurements'), 401);
  });
});

describe("a person's data", () => {
  async function personWithHistory() {
    const session = await signUp(t.app, quickstartMan());
    const initial = (
      await session.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-7), notes: '=HYPERLINK("x") "quoted", line' }))
    ).body;
    const goal = (
      await session.api.post('/api/v1/goals', { goal_type: 'cutting', initial_measurement_id: initial.id, target_body_fat_percentage: 15 })
    ).body;
    const later = (await session.api.post('/api/v1/measurements', navy({ waist_cm: 94.2, weight_kg: 89.3 }))).body;
    await session.api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: later.id });
    return { ...session, initial, goal, later };
  }

  it('exports everything stored about the caller as JSON, and the measurements as CSV', async () => {
    const person = await personWithHistory();
    const exported = await person.api.get('/api/v1/users/me/export');
    expect(exported.status).toBe(200);
    expect(exported.body.user).toEqual(person.user);
    expect(exported.body.measurements.map((m: { id: string }) => m.id)).toEqual([person.initial.id, person.later.id]);
    expect(exported.body.goals).toHaveLength(1);
    expect(exported.body.goals[0]).toMatchObject({ id: person.goal.id, progress: [{ measurement_id: person.later.id }] });
    expect(exported.body.goals[0].training_plan.workout_frequency).toBeGreaterThan(0);
    expect(exported.body.goals[0].diet_plan.daily_calorie_target).toBeGreaterThan(0);
    expect(JSON.stringify(exported.body)).not.toMatch(/argon2|password|token/i);

    const csv = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users/me/export?format=csv',
      headers: { authorization: `Bearer ${person.tokens.access_token}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,measured_at,calculation_method,weight_kg,calculated_body_fat_percentage/);
    expect(lines).toHaveLength(3);
    // Text is quoted, numbers are bare.
    expect(lines[1]).toContain(`"${person.initial.id}","${person.initial.measured_at}","navy",90,24.09`);
    // A note that looks like a formula is neutralised and quoted.
    expect(lines[1]).toContain('"\'=HYPERLINK(""x"") ""quoted"", line"');
  });

  it('neutralises a formula wherever a spreadsheet could start a cell in a note, whatever separator it splits on', async () => {
    const session = await signUp(t.app, quickstartMan());
    const notes: [sent: string, exported: string][] = [
      ["ok;=cmd|' /C calc'!A0;", "ok;'=cmd|' /C calc'!A0;"],
      ['a,+1\t-2', "a,'+1\t'-2"],
      ['first line\r\n@SUM(A1)', "first line\r\n'@SUM(A1)"],
      ['spaced; =1+1, "-3"', 'spaced; \'=1+1, "\'-3"'],
      ['\t=tabbed', "'\t'=tabbed"],
      ['plain; text, - or 2-1', "plain; text, '- or 2-1"],
    ];
    for (const [day, [note]] of notes.entries()) {
      expect((await session.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(day - 10), notes: note }))).status).toBe(201);
    }
    const csv = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users/me/export?format=csv',
      headers: { authorization: `Bearer ${session.tokens.access_token}` },
    });
    expect(csv.statusCode).toBe(200);
    const [header, ...rows] = parseCsv(csv.body);
    const column = (name: string) => header!.indexOf(name);
    expect(rows.map((row) => row[column('notes')])).toEqual(notes.map(([, exported]) => exported));
    expect(csv.body).toContain(`,"ok;'=cmd|' /C calc'!A0;",`);
    // Numbers stay bare numbers; text is quoted.
    expect(csv.body).toMatch(/^"[0-9a-f-]{36}","[^"]+","navy",90,24\.09,/m);
    // Read as a spreadsheet in a `;` or tab locale would (quotes not honoured), no cell starts a formula.
    for (const piece of csv.body.split(/[,;\t\r\n]/)) expect(piece.replace(/^[ "]*/, '')).not.toMatch(/^[=+\-@]/);
  });

  it('deletes the account and all its data after the password is confirmed', async () => {
    const person = await personWithHistory();
    const userId = person.user.id;
    const wrong = await person.api.request('DELETE', '/api/v1/users/me', { password: 'not-my-password' });
    expectProblem(wrong, 403);
    expect((await person.api.get('/api/v1/users/me')).status).toBe(200);

    const deleted = await person.api.request('DELETE', '/api/v1/users/me', { password: PASSWORD });
    expect(deleted.status).toBe(204);
    expectProblem(await person.api.get('/api/v1/users/me'), 401);
    expectProblem(await person.api.get('/api/v1/measurements'), 401);
    expectProblem(await new Api(t.app).post('/api/v1/auth/refresh', { refresh_token: person.tokens.refresh_token }), 401);
    expectProblem(await new Api(t.app).post('/api/v1/auth/login', { email: person.user.email, password: PASSWORD }), 401);

    const db = t.database.db;
    const counts = await Promise.all([
      db.select({ n: count() }).from(users).where(eq(users.id, userId)),
      db.select({ n: count() }).from(measurements).where(eq(measurements.userId, userId)),
      db.select({ n: count() }).from(goals).where(eq(goals.userId, userId)),
      db.select({ n: count() }).from(progressEntries).where(eq(progressEntries.goalId, person.goal.id)),
      db.select({ n: count() }).from(refreshTokens).where(eq(refreshTokens.userId, userId)),
    ]);
    expect(counts.map(([row]) => row!.n)).toEqual([0, 0, 0, 0, 0]);
    // The address can register again.
    expect(
      (
        await new Api(t.app).post('/api/v1/users', {
          ...quickstartMan(),
          email: person.user.email,
          password: PASSWORD,
          full_name: 'Again',
          preferred_calculation_method: 'navy',
        })
      ).status,
    ).toBe(201);
  });
});

/** RFC 4180: rows of cells, quotes honoured (a quoted cell may hold separators, line breaks and "" for a quote). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += char;
  }
  return rows;
}
