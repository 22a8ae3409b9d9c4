import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema.ts';
import { calculateBodyFat } from '../../src/domain/index.ts';
import { Api, daysFrom, expectProblem, signUp, type Session } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { bornYearsAgo, navy, quickstartMan } from '../helpers/people.ts';

let t: TestApp;
let man: Session;
let woman: Session;

beforeAll(async () => {
  t = await createTestApp();
  man = await signUp(t.app, { gender: 'male', height_cm: 175, date_of_birth: bornYearsAgo(30) });
  woman = await signUp(t.app, { gender: 'female', height_cm: 165, date_of_birth: bornYearsAgo(28) });
});
afterAll(async () => {
  await t.close();
});

describe('the profile a new measurement is computed from', () => {
  // The service remembers each user's sex, height and date of birth and saves a measurement in one
  // statement that checks them against the user's row (users/profiles.ts). Here the row is changed
  // behind its back, as another instance would: the measurement must follow the row.
  const changeBehindItsBack = (userId: string, changes: Partial<typeof users.$inferInsert>) =>
    t.database.db.update(users).set(changes).where(eq(users.id, userId));

  it('uses a height changed elsewhere, not the one it remembered', async () => {
    const person = await signUp(t.app, { gender: 'male', height_cm: 175, date_of_birth: bornYearsAgo(30) });
    expect((await person.api.post('/api/v1/measurements', navy())).body.calculated_body_fat_percentage).toBe(24.09);
    await changeBehindItsBack(person.user.id, { heightCm: 190 });
    const after = await person.api.post('/api/v1/measurements', navy());
    expect(after.status).toBe(201);
    const expected = calculateBodyFat({ method: 'navy', sex: 'male', heightCm: 190, ageYears: 30, sites: { waistCm: 95, neckCm: 38 } });
    expect(expected).not.toBe(24.09);
    expect(after.body.calculated_body_fat_percentage).toBe(expected);
  });

  it("uses a sex changed elsewhere (the woman's Navy needs the hip: refused as the row says)", async () => {
    const person = await signUp(t.app, { gender: 'male', height_cm: 175, date_of_birth: bornYearsAgo(30) });
    expect((await person.api.post('/api/v1/measurements', navy())).status).toBe(201);
    await changeBehindItsBack(person.user.id, { gender: 'female' });
    expectProblem(await person.api.post('/api/v1/measurements', navy()), 400);
    const withHip = await person.api.post('/api/v1/measurements', navy({ weight_kg: 65, waist_cm: 75, neck_cm: 32, hip_cm: 95 }));
    expect(withHip.status).toBe(201);
    expect(withHip.body.calculated_body_fat_percentage).toBe(
      calculateBodyFat({ method: 'navy', sex: 'female', heightCm: 175, ageYears: 30, sites: { waistCm: 75, neckCm: 32, hipCm: 95 } }),
    );
  });

  it('accepts a time that only the remembered date of birth would refuse', async () => {
    const person = await signUp(t.app, { gender: 'male', height_cm: 175, date_of_birth: bornYearsAgo(30) });
    expect((await person.api.post('/api/v1/measurements', navy())).status).toBe(201);
    await changeBehindItsBack(person.user.id, { dateOfBirth: bornYearsAgo(40) });
    const twentyFiveYearsAgo = daysFrom(-25 * 365);
    expect((await person.api.post('/api/v1/measurements', navy({ measured_at: twentyFiveYearsAgo }))).status).toBe(201);
  });

  it('refuses a time that only the remembered date of birth would accept', async () => {
    const person = await signUp(t.app, { gender: 'male', height_cm: 175, date_of_birth: bornYearsAgo(30) });
    expect((await person.api.post('/api/v1/measurements', navy())).status).toBe(201);
    await changeBehindItsBack(person.user.id, { dateOfBirth: bornYearsAgo(20) });
    const refused = await person.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-25 * 365) }));
    expectProblem(refused, 422);
    expect(refused.body.errors[0].message).toMatch(/date of birth/);
  });

  it('refuses with 401 an account deleted elsewhere, and saves nothing', async () => {
    const person = await signUp(t.app);
    expect((await person.api.post('/api/v1/measurements', navy())).status).toBe(201);
    await t.database.db.delete(users).where(eq(users.id, person.user.id));
    expectProblem(await person.api.post('/api/v1/measurements', navy()), 401);
  });
});

describe('creating measurements', () => {
  it('computes Navy body fat with the metric equations (docs/SCIENCE.md 12.1)', async () => {
    const response = await man.api.post('/api/v1/measurements', navy());
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      calculation_method: 'navy',
      weight_kg: 90,
      waist_cm: 95,
      neck_cm: 38,
      hip_cm: null,
      calculated_body_fat_percentage: 24.09,
    });
    expect(response.body.user_id).toBe(man.user.id);
  });

  it('computes female Navy with the hip (27.43 %) and refuses it without the hip with 400', async () => {
    const ok = await woman.api.post('/api/v1/measurements', navy({ weight_kg: 65, waist_cm: 75, neck_cm: 32, hip_cm: 95 }));
    expect(ok.status).toBe(201);
    expect(ok.body.calculated_body_fat_percentage).toBe(27.43);
    expectProblem(await woman.api.post('/api/v1/measurements', navy({ weight_kg: 65, waist_cm: 75, neck_cm: 32 })), 400);
  });

  it("computes Jackson–Pollock 3-site and 7-site (Siri) for the user's sex", async () => {
    const jp3 = await man.api.post('/api/v1/measurements', {
      weight_kg: 80,
      calculation_method: '3_site',
      chest_mm: 10,
      abdomen_mm: 20,
      thigh_mm: 15,
      measured_at: daysFrom(0),
    });
    expect(jp3.status).toBe(201);
    expect(jp3.body.calculated_body_fat_percentage).toBe(13.61);
    const jp3f = await woman.api.post('/api/v1/measurements', {
      weight_kg: 60,
      calculation_method: '3_SITE',
      tricep_mm: 15,
      suprailiac_mm: 12,
      thigh_mm: 18,
      measured_at: daysFrom(0),
    });
    expect(jp3f.status).toBe(201);
    expect(jp3f.body.calculated_body_fat_percentage).toBe(18.94);
    const seven = { chest_mm: 8, midaxillary_mm: 10, tricep_mm: 9, subscapular_mm: 12, abdomen_mm: 18, suprailiac_mm: 11, thigh_mm: 14 };
    const jp7 = await man.api.post('/api/v1/measurements', {
      weight_kg: 80,
      calculation_method: '7_site',
      ...seven,
      measured_at: daysFrom(0),
    });
    expect(jp7.status).toBe(201);
    // The reference value 12.64 (docs/SCIENCE.md 12.1) is for age 35; at 30 the same folds give a lower value.
    expect(jp7.body.calculated_body_fat_percentage).toBeGreaterThan(5);
    expect(jp7.body.calculated_body_fat_percentage).toBeLessThan(12.64);
  });

  it('refuses a 3-site set of the other sex and incomplete site sets with 422', async () => {
    expectProblem(
      await man.api.post('/api/v1/measurements', {
        weight_kg: 80,
        calculation_method: '3_site',
        tricep_mm: 15,
        suprailiac_mm: 12,
        thigh_mm: 18,
        measured_at: daysFrom(0),
      }),
      422,
    );
    const noWaist = await man.api.post('/api/v1/measurements', {
      weight_kg: 80,
      calculation_method: 'navy',
      neck_cm: 38,
      measured_at: daysFrom(0),
    });
    expectProblem(noWaist, 422);
    expect(noWaist.body.errors[0].field).toBe('body');
    expect(noWaist.body.errors[0].message).toMatch(/waist_cm/);
    const sevenMissing = await man.api.post('/api/v1/measurements', {
      weight_kg: 80,
      calculation_method: '7_site',
      chest_mm: 8,
      measured_at: daysFrom(0),
    });
    expectProblem(sevenMissing, 422);
    expect(sevenMissing.body.errors[0].message).toMatch(/subscapular_mm/);
  });

  it('refuses implausible body fat with 400 and a message saying so', async () => {
    const low = await man.api.post('/api/v1/measurements', navy({ waist_cm: 70, neck_cm: 40 }));
    expectProblem(low, 400);
    expect(low.body.detail).toMatch(/body fat/i);
    expect(low.body.detail).toMatch(/too low/);
    expectProblem(await man.api.post('/api/v1/measurements', navy({ waist_cm: 40, neck_cm: 41 })), 400);
  });

  it('reads naive timestamps as UTC, converts offsets, and echoes RFC 3339 UTC', async () => {
    const naive = await man.api.post('/api/v1/measurements', navy({ measured_at: '2025-11-10T04:41:32' }));
    expect(naive.body.measured_at).toBe('2025-11-10T04:41:32.000Z');
    const locust = await man.api.post('/api/v1/measurements', navy({ measured_at: '2025-11-10T04:41:32.706758Z' }));
    expect(locust.body.measured_at).toBe('2025-11-10T04:41:32.706Z');
    const offset = await man.api.post('/api/v1/measurements', navy({ measured_at: '2025-11-10T06:41:32+02:00' }));
    expect(offset.body.measured_at).toBe('2025-11-10T04:41:32.000Z');
  });

  it('accepts up to 8 days ahead and refuses further, impossible dates and dates before birth', async () => {
    expect((await man.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(7) }))).status).toBe(201);
    for (const measured_at of [daysFrom(9), '2025-13-01T00:00:00', '2025-02-29T10:00:00', '1900-01-01T00:00:00', 'yesterday']) {
      const response = await man.api.post('/api/v1/measurements', navy({ measured_at }));
      expectProblem(response, 422);
      expect(response.body).toMatchObject({ title: 'Validation Error', errors: [{ field: 'body.measured_at' }] });
    }
  });

  it('stores values at 2 decimals and echoes the stored value', async () => {
    const response = await man.api.post('/api/v1/measurements', navy({ weight_kg: 87.12345, waist_cm: 94.005, neck_cm: 38.004 }));
    expect(response.body).toMatchObject({ weight_kg: 87.12, waist_cm: 94.01, neck_cm: 38 });
  });

  it.each([
    ['weight below 30', { weight_kg: 29.99 }, 'body.weight_kg'],
    ['weight as text', { weight_kg: '90' }, 'body.weight_kg'],
    ['a huge number', { weight_kg: 1e308 }, 'body.weight_kg'],
    ['a waist over 200', { waist_cm: 201 }, 'body.waist_cm'],
    ['an unknown method', { calculation_method: 'dexa' }, 'body.calculation_method'],
    ['a skinfold over 70', { chest_mm: 71 }, 'body.chest_mm'],
  ])('refuses %s with 422', async (_label, overrides, field) => {
    const response = await man.api.post('/api/v1/measurements', navy(overrides));
    expectProblem(response, 422);
    expect(response.body.errors).toContainEqual({ field, message: expect.any(String) });
  });
});

describe('reading measurements', () => {
  it("lists only the caller's measurements, newest first, with limit and offset", async () => {
    const session = await signUp(t.app);
    for (const days of [-3, -1, -2]) await session.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(days) }));
    const all = await session.api.get('/api/v1/measurements');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    const times = all.body.measurements.map((m: { measured_at: string }) => m.measured_at);
    expect(times).toEqual([...times].sort().reverse());
    const page = await session.api.get('/api/v1/measurements?limit=1&offset=1');
    expect(page.body).toMatchObject({ total: 3, measurements: [{ measured_at: times[1] }] });
    expectProblem(await session.api.get('/api/v1/measurements?limit=0'), 422);
    expectProblem(await session.api.get('/api/v1/measurements?limit=101'), 422);
    expectProblem(await session.api.get('/api/v1/measurements?offset=-1'), 422);
    expectProblem(await session.api.get('/api/v1/measurements?limit=ten'), 422);
  });

  it("gets one measurement; another user's is 404 and a malformed id 422", async () => {
    const created = await man.api.post('/api/v1/measurements', navy());
    expect((await man.api.get(`/api/v1/measurements/${created.body.id}`)).body).toEqual(created.body);
    expectProblem(await woman.api.get(`/api/v1/measurements/${created.body.id}`), 404);
    const bad = await man.api.get('/api/v1/measurements/not-a-uuid');
    expectProblem(bad, 422);
    expect(bad.body.errors[0].field).toBe('path.measurement_id');
  });
});

describe('deleting measurements', () => {
  it("deletes one that nothing uses; another user's, a missing one and a deleted one are 404", async () => {
    const session = await signUp(t.app);
    const [kept, mistyped] = [
      await session.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-2) })),
      await session.api.post('/api/v1/measurements', navy()),
    ];
    expectProblem(await woman.api.delete(`/api/v1/measurements/${mistyped.body.id}`), 404);
    const deleted = await session.api.delete(`/api/v1/measurements/${mistyped.body.id}`);
    expect(deleted).toMatchObject({ status: 204, body: null });
    expectProblem(await session.api.get(`/api/v1/measurements/${mistyped.body.id}`), 404);
    expectProblem(await session.api.delete(`/api/v1/measurements/${mistyped.body.id}`), 404);
    expectProblem(await session.api.delete(`/api/v1/measurements/${randomUUID()}`), 404);
    expectProblem(await session.api.delete('/api/v1/measurements/not-a-uuid'), 422);
    expectProblem(await new Api(t.app).delete(`/api/v1/measurements/${kept.body.id}`), 401);
    expect((await session.api.get('/api/v1/measurements')).body).toMatchObject({ total: 1, measurements: [{ id: kept.body.id }] });
  });

  it("keeps a goal's starting measurement and a check-in's with 409 measurement_in_use", async () => {
    const session = await signUp(t.app, quickstartMan());
    const start = await session.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-8) }));
    const goal = await session.api.post('/api/v1/goals', {
      goal_type: 'cutting',
      initial_measurement_id: start.body.id,
      target_body_fat_percentage: 15,
    });
    expect(goal.status).toBe(201);
    const later = await session.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-1), waist_cm: 94 }));
    expect((await session.api.post(`/api/v1/goals/${goal.body.id}/progress`, { measurement_id: later.body.id })).status).toBe(201);
    for (const id of [start.body.id, later.body.id]) {
      const refused = await session.api.delete(`/api/v1/measurements/${id}`);
      expectProblem(refused, 409);
      expect(refused.body.code).toBe('measurement_in_use');
    }
    expect((await session.api.get('/api/v1/measurements')).body.total).toBe(2);
  });

  it("never loses a goal's measurement, nor answers 500, when a goal is created from it while it is deleted", async () => {
    const session = await signUp(t.app, quickstartMan());
    for (let round = 0; round < 6; round++) {
      const m = await session.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-1) }));
      const [goal, deleted] = await Promise.all([
        session.api.post('/api/v1/goals', { goal_type: 'cutting', initial_measurement_id: m.body.id, target_body_fat_percentage: 15 }),
        session.api.delete(`/api/v1/measurements/${m.body.id}`),
      ]);
      expect([201, 404, 409], JSON.stringify(goal.body)).toContain(goal.status);
      expect([204, 409], JSON.stringify(deleted.body)).toContain(deleted.status);
      // Exactly one of the two wins.
      expect(goal.status === 201).toBe(deleted.status === 409);
      if (goal.status === 201) expect((await session.api.patch(`/api/v1/goals/${goal.body.id}`, { status: 'abandoned' })).status).toBe(200);
    }
  });
});
