/** Daily weigh-ins and intake (issue 6): one per day, idempotent, listed by range, importable from CSV. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('weigh-ins', () => {
  it('keeps one per day: a second PUT replaces it, DELETE removes it', async () => {
    const { api } = await signUp(t.app);
    const first = await api.request('PUT', `/api/v1/users/me/weights/${daysAgo(1)}`, { weight_kg: 80.456 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ date: daysAgo(1), weight_kg: 80.46, source: 'manual' });
    const again = await api.request('PUT', `/api/v1/users/me/weights/${daysAgo(1)}`, { weight_kg: 80.2 });
    expect(again.body.weight_kg).toBe(80.2);
    expect((await api.request('DELETE', `/api/v1/users/me/weights/${daysAgo(1)}`)).status).toBe(204);
    expectProblem(await api.request('DELETE', `/api/v1/users/me/weights/${daysAgo(1)}`), 404);
  });

  it('refuses impossible, future and pre-birth days and out-of-range weights', async () => {
    const { api } = await signUp(t.app);
    for (const [day, body] of [
      ['2026-02-30', { weight_kg: 80 }], [daysAgo(-3), { weight_kg: 80 }], ['1980-01-01', { weight_kg: 80 }],
      [today(), { weight_kg: 29 }], [today(), { weight_kg: '80' }], ['yesterday', { weight_kg: 80 }],
    ] as const) {
      expectProblem(await api.request('PUT', `/api/v1/users/me/weights/${day}`, body), 422);
    }
  });

  it('imports a CSV, reporting each row, and leaves existing days alone', async () => {
    const { api } = await signUp(t.app);
    await api.request('PUT', `/api/v1/users/me/weights/${daysAgo(2)}`, { weight_kg: 81 });
    const csv = `Date,Weight (lb)\n${daysAgo(3)},180\n${daysAgo(2)},179\nnot-a-date,178\n${daysAgo(1)},3000\n${daysAgo(-5)},178\n`;
    const response = await t.app.inject({
      method: 'POST', url: '/api/v1/users/me/weights/import', payload: csv,
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'text/csv' },
    });
    expect(response.statusCode).toBe(200);
    const report = JSON.parse(response.body);
    expect(report).toMatchObject({ imported: 1, rejected: 4 });
    expect(report.rows.map((r: { line: number; status: string; reason?: string }) => [r.line, r.status, r.reason ?? ''])).toEqual([
      [2, 'imported', ''],
      [3, 'rejected', 'a weigh-in already exists for this day'],
      [4, 'rejected', expect.stringMatching(/not a date/)],
      [5, 'rejected', expect.stringMatching(/outside/)],
      [6, 'rejected', 'the date is in the future'],
    ]);
    expect(report.rows[0].weight_kg).toBe(81.65);
    const unreadable = await t.app.inject({
      method: 'POST', url: '/api/v1/users/me/weights/import', payload: 'a,b\n1,2\n',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'text/csv' },
    });
    expect(unreadable.statusCode).toBe(422);
  });
});

describe('intake', () => {
  it('logs a day\'s intake, replaces it, lists a range and deletes a day', async () => {
    const { api } = await signUp(t.app);
    expect((await api.request('PUT', `/api/v1/users/me/intake/${daysAgo(2)}`, { calories: 2300, protein_g: 160.25 })).body)
      .toMatchObject({ date: daysAgo(2), calories: 2300, protein_g: 160.3, carbs_g: null, fat_g: null });
    await api.request('PUT', `/api/v1/users/me/intake/${daysAgo(1)}`, { calories: 2100, protein_g: 150, carbs_g: 200, fat_g: 70 });
    await api.request('PUT', `/api/v1/users/me/intake/${daysAgo(2)}`, { calories: 2250 });
    const listed = await api.get(`/api/v1/users/me/intake?from=${daysAgo(7)}&to=${today()}`);
    expect(listed.status).toBe(200);
    expect(listed.body.intake.map((d: { date: string; calories: number }) => [d.date, d.calories])).toEqual([[daysAgo(2), 2250], [daysAgo(1), 2100]]);
    expect((await api.get('/api/v1/users/me/intake')).body.intake).toHaveLength(2);
    const exported = (await api.get('/api/v1/users/me/export')).body;
    expect(exported.intake.map((d: { calories: number }) => d.calories)).toEqual([2250, 2100]);
    expect((await api.request('DELETE', `/api/v1/users/me/intake/${daysAgo(2)}`)).status).toBe(204);
    expectProblem(await api.get(`/api/v1/users/me/intake?from=${today()}&to=${daysAgo(3)}`), 422);
    expectProblem(await api.get('/api/v1/users/me/intake?from=2020-01-01&to=2026-01-01'), 422);
    expectProblem(await api.request('PUT', `/api/v1/users/me/intake/${today()}`, { calories: 20_000 }), 422);
    expectProblem(await api.request('PUT', `/api/v1/users/me/intake/${today()}`, { calories: 2000.5 }), 422);
  });

  it('keeps each person\'s days to themselves', async () => {
    const one = await signUp(t.app);
    const two = await signUp(t.app);
    await one.api.request('PUT', `/api/v1/users/me/intake/${today()}`, { calories: 1800 });
    expect((await two.api.get('/api/v1/users/me/intake')).body.intake).toEqual([]);
    expectProblem(await two.api.request('DELETE', `/api/v1/users/me/intake/${today()}`), 404);
  });
});
