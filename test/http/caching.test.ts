/**
 * No answer that may carry personal data or tokens is stored by a cache: every operation of the
 * OpenAPI document answers `Cache-Control: no-store`, success and error alike (src/http/caching.ts),
 * while the web app and /docs keep their own caching.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, daysFrom, PASSWORD, profile, type Session, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { imported } from '../helpers/imports.ts';
import { navy } from '../helpers/people.ts';

let t: TestApp;
let session: Session;
let measurementId: string;
let goalId: string;
let importId: string;
let operations: { method: string; path: string }[];

beforeAll(async () => {
  t = await createTestApp();
  session = await signUp(t.app);
  const measurement = (await session.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-7) }))).body;
  measurementId = measurement.id;
  goalId = (
    await session.api.post('/api/v1/goals', { goal_type: 'cutting', initial_measurement_id: measurementId, target_body_fat_percentage: 15 })
  ).body.id;
  importId = (await imported(t.app, session.api, `date,weight\n${daysFrom(-4).slice(0, 10)},81\n`)).id;
  const spec = (await new Api(t.app).get('/openapi.json')).body;
  operations = Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(async () => {
  await t.close();
});

const WRONG_PASSWORD = 'NotThePassword1!';
const today = daysFrom(0).slice(0, 10);

/** Bodies good enough to reach the handler; the account-changing ones carry a wrong password (403). */
const bodies: Record<string, unknown> = {
  'POST /api/v1/users': undefined, // set per run: a fresh address
  'PATCH /api/v1/users/me': { full_name: 'Renamed Person' },
  'DELETE /api/v1/users/me': { password: WRONG_PASSWORD },
  'PUT /api/v1/users/me/password': { current_password: WRONG_PASSWORD, new_password: 'AnotherPassword1!' },
  'PUT /api/v1/users/me/email': { password: WRONG_PASSWORD, new_email: 'elsewhere@example.com' },
  'POST /api/v1/measurements': navy({ measured_at: daysFrom(-1) }),
  'POST /api/v1/goals': { goal_type: 'cutting', initial_measurement_id: 'set below', target_body_fat_percentage: 15 },
  'PATCH /api/v1/goals/{goal_id}': { weekly_rate_percent: 0.5 },
  'POST /api/v1/goals/{goal_id}/progress': { measurement_id: 'set below' },
  'PUT /api/v1/users/me/weights/{date}': { weight_kg: 80 },
  'PUT /api/v1/users/me/intake/{date}': { calories: 2000 },
};

function urlOf(path: string) {
  return path
    .replace('{measurement_id}', measurementId)
    .replace('{goal_id}', goalId)
    .replace('{import_id}', importId)
    .replace('{date}', today);
}

function expectNoStore(response: { statusCode: number; headers: Record<string, unknown> }, what: string) {
  expect(response.headers['cache-control'], `${what} → ${response.statusCode}`).toBe('no-store');
}

describe('Cache-Control on the API', () => {
  it('answers no-store on every operation of the OpenAPI document, signed in with a plausible body', async () => {
    const later = (await session.api.post('/api/v1/measurements', navy({ measured_at: daysFrom(-2) }))).body;
    const throwaway = await signUp(t.app);
    const statuses: Record<string, number> = {};
    for (const { method, path } of operations) {
      if (!path.startsWith('/api/')) continue;
      const key = `${method} ${path}`;
      let body = bodies[key];
      if (key === 'POST /api/v1/users') body = profile();
      if (key === 'POST /api/v1/goals') body = { ...(body as object), initial_measurement_id: later.id };
      if (key === 'POST /api/v1/goals/{goal_id}/progress') body = { measurement_id: later.id };
      // The imports take a file, sent as CSV text.
      if (key === 'POST /api/v1/users/me/weights/import' || key === 'POST /api/v1/users/me/imports')
        body = `date,weight\n${daysFrom(-3).slice(0, 10)},81.5\n`;
      // Logging out ends a sign-in: the throwaway one's, not the session the other calls use.
      const token = key === 'POST /api/v1/auth/logout' ? throwaway.tokens.access_token : session.tokens.access_token;
      const isCsv = typeof body === 'string';
      const response = await t.app.inject({
        method: method as 'GET',
        url: urlOf(path),
        headers: { authorization: `Bearer ${token}`, ...(isCsv ? { 'content-type': 'text/csv' } : {}) },
        ...(body === undefined ? (['POST', 'PUT', 'PATCH'].includes(method) ? { payload: {} } : {}) : { payload: body as object }),
      });
      statuses[key] = response.statusCode;
      expectNoStore(response, key);
    }
    // The walk reached the handlers: most answers are successes, the account changes refused as meant.
    expect(statuses['GET /api/v1/users/me']).toBe(200);
    expect(statuses['DELETE /api/v1/users/me']).toBe(403);
    expect(statuses['POST /api/v1/users/me/imports']).toBe(202);
    expect(statuses['GET /api/v1/users/me/imports/{import_id}']).toBe(200);
    expect(Object.values(statuses).filter((status) => status < 300).length).toBeGreaterThan(operations.length / 2);
  });

  it('answers no-store on every operation of the OpenAPI document when the call fails', async () => {
    let checked = 0;
    for (const { method, path } of operations) {
      if (!path.startsWith('/api/')) continue;
      // The sign-in options answer everyone and take nothing: no call of it fails (the walk above checks its no-store).
      if (path === '/api/v1/auth/options') continue;
      // No credentials (401 where signed-in) and an empty or malformed body (422 on the open routes).
      const response = await t.app.inject({
        method: method as 'GET',
        url: urlOf(path),
        ...(['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? { payload: {} } : {}),
      });
      expect(response.statusCode, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expectNoStore(response, `${method} ${path}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(25);
  });

  it('answers no-store on the token responses and the personal reads that succeed', async () => {
    const anonymous = new Api(t.app);
    const login = await anonymous.post('/api/v1/auth/login', { email: session.user.email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const refreshed = await anonymous.post('/api/v1/auth/refresh', { refresh_token: login.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers['cache-control']).toBe('no-store');
    for (const url of [
      '/api/v1/auth/options',
      '/api/v1/users/me',
      '/api/v1/users/me/export',
      '/api/v1/users/me/export?format=csv',
      '/api/v1/measurements',
      '/api/v1/goals',
      `/api/v1/goals/${goalId}/progress`,
      '/api/v1/users/me/weights',
      '/api/v1/users/me/intake',
      '/api/v1/users/me/imports',
    ]) {
      const response = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${session.tokens.access_token}` } });
      expect(response.statusCode, url).toBe(200);
      expectNoStore(response, url);
    }
  });

  it('answers no-store on errors outside /api/ too (a problem echoes the URL)', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/no-such-page?email=someone@example.com' });
    expect(unknown.statusCode).toBe(404);
    expectNoStore(unknown, 'unknown path');
    const badUrl = await t.app.inject({ method: 'GET', url: `/api/v1/goals/${'a'.repeat(300)}` });
    expect(badUrl.statusCode).toBeGreaterThanOrEqual(400);
    expectNoStore(badUrl, 'overlong path');
  });
});

describe('Cache-Control elsewhere', () => {
  it('leaves the documentation, the OpenAPI document, health and the web app to their own caching', async () => {
    for (const url of ['/openapi.json', '/health']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBeUndefined();
    }
    const docs = await t.app.inject({ method: 'GET', url: '/docs/static/swagger-ui.css' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['cache-control']).toBe('public, max-age=0');
    // The web app's own headers (immutable assets, revalidated pages) are pinned by test/unit/web.test.ts.
    const root = await t.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(root.statusCode).toBe(200);
    expect(root.headers['cache-control']).not.toBe('no-store');
  });
});
