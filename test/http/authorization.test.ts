/**
 * The authorization matrix: every route of the OpenAPI document that takes an id, called by a second
 * user with the first user's ids, answers 404 — and the first user's data is unchanged afterwards.
 * New routes join the matrix by themselves; a route missing from `bodies` fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysFrom, signUp, type Session } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { imported } from '../helpers/imports.ts';
import { navy, quickstartMan } from '../helpers/people.ts';

let t: TestApp;
let owner: Session;
let intruder: Session;
let ids: Record<string, string>;
/** Per route, ids other than `ids`: one the owner could delete (a goal's measurement could not be). */
let idsOf: Record<string, Record<string, string>>;
let intruderMeasurement: string;
beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, quickstartMan());
  intruder = await signUp(t.app, quickstartMan());
  const measurement = (await owner.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-7) }))).body;
  const goal = (
    await owner.api.post('/api/v1/goals', { goal_type: 'cutting', initial_measurement_id: measurement.id, target_body_fat_percentage: 15 })
  ).body;
  const later = (await owner.api.post('/api/v1/measurements', navy({ waist_cm: 94.2 }))).body;
  const entry = (await owner.api.post(`/api/v1/goals/${goal.id}/progress`, { measurement_id: later.id })).body;
  const ownImport = await imported(t.app, owner.api, `date,weight\n${daysFrom(-3).slice(0, 10)},90\n`);
  ids = { goal_id: goal.id, measurement_id: measurement.id, import_id: ownImport.id, entry_id: entry.id };
  const unused = (await owner.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-1), waist_cm: 94 }))).body;
  idsOf = { 'DELETE /api/v1/measurements/{measurement_id}': { measurement_id: unused.id } };
  intruderMeasurement = (await intruder.api.post('/api/v1/measurements', navy({ waist_cm: 93 }))).body.id;
});
afterAll(async () => {
  await t.close();
});

/** A body that would succeed for the owner, so only ownership can refuse it. */
const bodies: Record<string, () => unknown> = {
  'GET /api/v1/measurements/{measurement_id}': () => undefined,
  'DELETE /api/v1/measurements/{measurement_id}': () => undefined,
  'GET /api/v1/goals/{goal_id}': () => undefined,
  'PATCH /api/v1/goals/{goal_id}': () => ({ status: 'abandoned' }),
  'POST /api/v1/goals/{goal_id}/progress': () => ({ measurement_id: intruderMeasurement }),
  'GET /api/v1/goals/{goal_id}/progress': () => undefined,
  'DELETE /api/v1/goals/{goal_id}/progress/{entry_id}': () => undefined,
  'GET /api/v1/goals/{goal_id}/targets': () => undefined,
  'GET /api/v1/goals/{goal_id}/trends': () => undefined,
  'GET /api/v1/goals/{goal_id}/training-plan': () => undefined,
  'GET /api/v1/goals/{goal_id}/diet-plan': () => undefined,
  'GET /api/v1/goals/{goal_id}/rate-preview': () => undefined,
  'GET /api/v1/users/me/imports/{import_id}': () => undefined,
};

async function snapshot() {
  const { exported_at: _at, ...data } = (await owner.api.get('/api/v1/users/me/export')).body;
  return data;
}

describe('authorization matrix', () => {
  it('refuses every id-taking route to another user with 404 and changes nothing', async () => {
    const spec = (await owner.api.get('/openapi.json')).body;
    const routes = Object.entries(spec.paths as Record<string, Record<string, unknown>>)
      // Ids of things a person owns; `/users/me/…/{date}` routes are the caller's own by construction.
      .filter(([path]) => /\{\w+_id\}/.test(path))
      .flatMap(([path, methods]) =>
        Object.keys(methods)
          .filter((m) => m !== 'head')
          .map((m) => `${m.toUpperCase()} ${path}`),
      );
    expect(routes.sort()).toEqual(Object.keys(bodies).sort());

    const before = await snapshot();
    for (const route of routes) {
      const [method, template] = route.split(' ') as [string, string];
      const url = template.replace(/\{(\w+)\}/g, (_m, name: string) => idsOf[route]?.[name] ?? ids[name]!);
      const response = await intruder.api.request(method as 'GET', url, bodies[route]!());
      expect(response.status, `${route}: ${JSON.stringify(response.body)}`).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain(owner.user.email);
    }
    expect(await snapshot()).toEqual(before);
  });
});
