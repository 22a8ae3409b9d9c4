/** Daily weigh-ins and intake (docs/DESIGN.md, 'Daily logs'): one per day, idempotent, listed by range, importable from CSV. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyIntake } from '../../src/db/schema.ts';
import { expectProblem, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const importCsv = (token: string, csv: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/users/me/weights/import',
    payload: csv,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
  });

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
      ['2026-02-30', { weight_kg: 80 }],
      [daysAgo(-3), { weight_kg: 80 }],
      ['1980-01-01', { weight_kg: 80 }],
      [today(), { weight_kg: 29 }],
      [today(), { weight_kg: '80' }],
      ['yesterday', { weight_kg: 80 }],
    ] as const) {
      expectProblem(await api.request('PUT', `/api/v1/users/me/weights/${day}`, body), 422);
    }
  });

  it('imports a CSV, reporting the rejected rows with their reasons, and leaves existing days alone', async () => {
    const { api } = await signUp(t.app);
    await api.request('PUT', `/api/v1/users/me/weights/${daysAgo(2)}`, { weight_kg: 81 });
    const csv = `Date,Weight (lb)\n${daysAgo(3)},180\n${daysAgo(2)},179\nnot-a-date,178\n${daysAgo(1)},3000\n${daysAgo(-5)},178\n`;
    const response = await importCsv(api.token!, csv);
    expect(response.statusCode).toBe(200);
    const report = JSON.parse(response.body);
    expect(report).toMatchObject({
      imported: 1,
      rejected: 4,
      rejected_by_reason: { day_already_logged: 1, not_a_date: 1, weight_out_of_range: 1, in_the_future: 1, no_weight: 0, day_repeated: 0 },
    });
    expect(report.rejected_rows.map((r: { line: number; reason: string; detail: string }) => [r.line, r.reason, r.detail])).toEqual([
      [3, 'day_already_logged', 'a weigh-in already exists for this day'],
      [4, 'not_a_date', expect.stringMatching(/not a date/)],
      [5, 'weight_out_of_range', expect.stringMatching(/outside/)],
      [6, 'in_the_future', 'the date is in the future'],
    ]);
    expect(report.rejected_rows[0]).toMatchObject({ date: daysAgo(2), weight_kg: 81.19 });
    const weights = (await api.get(`/api/v1/users/me/weights?from=${daysAgo(3)}&to=${daysAgo(2)}`)).body.weights;
    expect(weights.map((w: { date: string; weight_kg: number; source: string }) => [w.date, w.weight_kg, w.source])).toEqual([
      [daysAgo(3), 81.65, 'import'],
      [daysAgo(2), 81, 'manual'],
    ]);
    for (const unreadable of ['a,b\n1,2\n', `date,weight\n"${daysAgo(4)},80\n${daysAgo(5)},80\n`]) {
      const refused = await importCsv(api.token!, unreadable);
      expect(refused.statusCode, refused.body).toBe(422);
      expect(JSON.parse(refused.body).code).toBe('csv_unreadable');
    }
    expect(
      (await api.get(`/api/v1/users/me/weights?from=${daysAgo(5)}&to=${daysAgo(4)}`)).body.weights.filter(
        (w: { weight_kg: number | null }) => w.weight_kg !== null,
      ),
    ).toEqual([]);
  });

  it('sums up a file with many bad rows: counts by reason and only the first 100 rejected rows', async () => {
    const { api } = await signUp(t.app);
    await api.request('PUT', `/api/v1/users/me/weights/${daysAgo(3)}`, { weight_kg: 81 });
    // Line 2 names a day already logged (found only when storing, after every other verdict);
    // then a bad date, a weight out of range and a good row, in turn, 1,200 rows in all.
    const lines = ['date,weight', `${daysAgo(3)},80`];
    const bad: number[] = [2];
    for (let i = 1; i < 1200; i++) {
      const kind = i % 3;
      lines.push(kind === 0 ? `someday ${i},80` : `${daysAgo(10 + i)},${kind === 1 ? 500 : 80}`);
      if (kind !== 2) bad.push(i + 2);
    }
    lines.push(`${daysAgo(12)},80`, '1980-01-01,80');
    bad.push(1202, 1203);
    const response = await importCsv(api.token!, `${lines.join('\n')}\n`);
    expect(response.statusCode).toBe(200);
    const report = JSON.parse(response.body);
    expect(report).toEqual({
      imported: 400,
      rejected: 802,
      rejected_by_reason: {
        not_a_date: 399,
        ambiguous_date: 0,
        no_weight: 0,
        not_a_weight: 0,
        weight_out_of_range: 400,
        day_repeated: 1,
        in_the_future: 0,
        before_birth: 1,
        day_already_logged: 1,
      },
      rejected_rows: expect.any(Array),
    });
    expect(bad).toHaveLength(802);
    expect(report.rejected_rows).toHaveLength(100);
    expect(report.rejected_rows.map((r: { line: number }) => r.line)).toEqual(bad.slice(0, 100));
    expect(report.rejected_rows.slice(0, 4)).toEqual([
      { line: 2, date: daysAgo(3), weight_kg: 80, reason: 'day_already_logged', detail: 'a weigh-in already exists for this day' },
      { line: 3, date: daysAgo(11), reason: 'weight_out_of_range', detail: expect.stringMatching(/500 kg is outside 30–300 kg/) },
      { line: 5, reason: 'not_a_date', detail: expect.stringMatching(/"someday 3" is not a date/) },
      { line: 6, date: daysAgo(14), reason: 'weight_out_of_range', detail: expect.stringMatching(/outside/) },
    ]);
  });
});

describe('intake', () => {
  it("logs a day's intake, replaces it, lists a range and deletes a day", async () => {
    const { api } = await signUp(t.app);
    expect((await api.request('PUT', `/api/v1/users/me/intake/${daysAgo(2)}`, { calories: 2300, protein_g: 160.25 })).body).toMatchObject({
      date: daysAgo(2),
      calories: 2300,
      protein_g: 160.3,
      carbs_g: null,
      fat_g: null,
    });
    await api.request('PUT', `/api/v1/users/me/intake/${daysAgo(1)}`, { calories: 2100, protein_g: 150, carbs_g: 200, fat_g: 70 });
    await api.request('PUT', `/api/v1/users/me/intake/${daysAgo(2)}`, { calories: 2250 });
    const listed = await api.get(`/api/v1/users/me/intake?from=${daysAgo(7)}&to=${today()}`);
    expect(listed.status).toBe(200);
    expect(listed.body.intake.map((d: { date: string; calories: number }) => [d.date, d.calories])).toEqual([
      [daysAgo(2), 2250],
      [daysAgo(1), 2100],
    ]);
    expect((await api.get('/api/v1/users/me/intake')).body.intake).toHaveLength(2);
    const exported = (await api.get('/api/v1/users/me/export')).body;
    expect(exported.intake.map((d: { calories: number }) => d.calories)).toEqual([2250, 2100]);
    expect((await api.request('DELETE', `/api/v1/users/me/intake/${daysAgo(2)}`)).status).toBe(204);
    expectProblem(await api.get(`/api/v1/users/me/intake?from=${today()}&to=${daysAgo(3)}`), 422);
    expectProblem(await api.get('/api/v1/users/me/intake?from=2020-01-01&to=2026-01-01'), 422);
    expectProblem(await api.request('PUT', `/api/v1/users/me/intake/${today()}`, { calories: 20_000 }), 422);
    expectProblem(await api.request('PUT', `/api/v1/users/me/intake/${today()}`, { calories: 2000.5 }), 422);
  });

  it('marks a day logged only partly with complete: false; a PUT without it marks the day complete', async () => {
    const { api, user } = await signUp(t.app);
    expect((await api.request('PUT', `/api/v1/users/me/intake/${daysAgo(1)}`, { calories: 2100 })).body).toMatchObject({
      date: daysAgo(1),
      calories: 2100,
      complete: true,
      source: 'manual',
    });
    const partly = await api.request('PUT', `/api/v1/users/me/intake/${daysAgo(2)}`, { calories: 900, protein_g: 60, complete: false });
    expect(partly.status).toBe(200);
    expect(partly.body).toMatchObject({ date: daysAgo(2), calories: 900, protein_g: 60, complete: false, source: 'manual' });
    const days = async () =>
      (await api.get(`/api/v1/users/me/intake?from=${daysAgo(7)}&to=${today()}`)).body.intake.map(
        (d: { date: string; complete: boolean; source: string }) => [d.date, d.complete, d.source],
      );
    expect(await days()).toEqual([
      [daysAgo(2), false, 'manual'],
      [daysAgo(1), true, 'manual'],
    ]);
    const exported = (await api.get('/api/v1/users/me/export')).body.intake;
    expect(exported.map((d: { date: string; complete: boolean; source: string }) => [d.date, d.complete, d.source])).toEqual([
      [daysAgo(2), false, 'manual'],
      [daysAgo(1), true, 'manual'],
    ]);

    // The PUT replaces the day: without `complete` it is complete again, not what it was.
    expect((await api.request('PUT', `/api/v1/users/me/intake/${daysAgo(2)}`, { calories: 1900 })).body).toMatchObject({
      complete: true,
      protein_g: null,
    });
    expect((await api.request('PUT', `/api/v1/users/me/intake/${daysAgo(2)}`, { calories: 1900, complete: true })).body.complete).toBe(
      true,
    );
    expect(await days()).toEqual([
      [daysAgo(2), true, 'manual'],
      [daysAgo(1), true, 'manual'],
    ]);
    // Bodies keep their JSON types.
    for (const complete of ['false', 0, null]) {
      expectProblem(await api.request('PUT', `/api/v1/users/me/intake/${daysAgo(2)}`, { calories: 1900, complete }), 422);
    }

    // A day an import wrote (imports set the source and the flag) is the person's own once they PUT it.
    await t.database.db.update(dailyIntake).set({ source: 'import', complete: false }).where(eq(dailyIntake.userId, user.id));
    expect(await days()).toEqual([
      [daysAgo(2), false, 'import'],
      [daysAgo(1), false, 'import'],
    ]);
    expect((await api.request('PUT', `/api/v1/users/me/intake/${daysAgo(1)}`, { calories: 2100 })).body).toMatchObject({
      complete: true,
      source: 'manual',
    });
    expect(await days()).toEqual([
      [daysAgo(2), false, 'import'],
      [daysAgo(1), true, 'manual'],
    ]);
  });

  it("keeps each person's days to themselves", async () => {
    const one = await signUp(t.app);
    const two = await signUp(t.app);
    await one.api.request('PUT', `/api/v1/users/me/intake/${today()}`, { calories: 1800 });
    expect((await two.api.get('/api/v1/users/me/intake')).body.intake).toEqual([]);
    expectProblem(await two.api.request('DELETE', `/api/v1/users/me/intake/${today()}`), 404);
  });
});
