import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let anonymous: Api;
beforeAll(async () => {
  t = await createTestApp();
  anonymous = new Api(t.app);
});
afterAll(async () => {
  await t.close();
});

const raw = (method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', url: string, payload?: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, ...(payload === undefined ? {} : { payload }), headers: { 'content-type': 'application/json', ...headers } });

describe('problem details on every error path', () => {
  it('answers unknown paths with a 404 problem and wrong methods with 405 and Allow', async () => {
    expectProblem(await anonymous.get('/api/v1/nowhere'), 404);
    const wrongMethod = await anonymous.request('DELETE', '/api/v1/measurements');
    expectProblem(wrongMethod, 405);
    expect(String(wrongMethod.headers.allow)).toMatch(/GET/);
    expectProblem(await anonymous.request('PUT', '/api/v1/goals/00000000-0000-4000-8000-000000000000'), 405);
  });

  it('keeps 404 and 405 for an empty JSON body on an unknown path or method', async () => {
    expect((await raw('DELETE', '/api/v1/goals', '')).statusCode).toBe(405);
    expect((await raw('POST', '/nope', '')).statusCode).toBe(404);
  });

  it('answers malformed JSON, an empty body and a JSON scalar with 422', async () => {
    for (const payload of ['{"email": ', '', '42', 'null', '[]', '{"__proto__": {"admin": true}}']) {
      const response = await raw('POST', '/api/v1/users', payload);
      expect(response.statusCode, payload).toBe(422);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect(JSON.parse(response.body)).toMatchObject({ status: 422, title: 'Validation Error' });
    }
    for (const payload of ['{"__proto__": {"admin": true}}', '{"constructor": {"prototype": {"admin": true}}}']) {
      const poisoned = JSON.parse((await raw('POST', '/api/v1/users', payload)).body);
      expect(poisoned, payload).toMatchObject({ code: 'json_forbidden_key', detail: expect.stringContaining('__proto__') });
    }
    expect(JSON.parse((await raw('POST', '/api/v1/users', '{"email": ')).body).code).toBe('malformed_json');
  });

  it('answers a non-JSON content type with 415 and an oversized body with 413, as problems', async () => {
    const text = await raw('POST', '/api/v1/users', 'hello', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    expect(JSON.parse(text.body).status).toBe(415);
    const huge = await raw('POST', '/api/v1/users', JSON.stringify({ full_name: 'x'.repeat(100_000) }));
    expect(huge.statusCode).toBe(413);
    expect(JSON.parse(huge.body).status).toBe(413);
  });

  it('puts an X-Request-ID on every response and keeps a sane one from the client', async () => {
    for (const response of [await raw('GET', '/health'), await raw('GET', '/nowhere'), await raw('POST', '/api/v1/users', '{')]) {
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await raw('GET', '/health', undefined, { 'x-request-id': 'trace-123' })).headers['x-request-id']).toBe('trace-123');
    expect((await raw('GET', '/health', undefined, { 'x-request-id': 'bad id with spaces' })).headers['x-request-id']).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });

  it('keeps a 2xx body valid JSON with the fields the load scripts read', async () => {
    const { api } = await signUp(t.app);
    const goals = await api.get('/api/v1/goals');
    expect(goals.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('health and documentation', () => {
  it('serves /health, /health/ready, /openapi.json and /docs', async () => {
    expect((await anonymous.get('/health')).body).toEqual({ status: 'healthy' });
    expect((await anonymous.get('/health/ready')).body).toMatchObject({ status: 'ready' });
    const spec = await anonymous.get('/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/users',
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/logout',
      '/api/v1/users/me',
      '/api/v1/measurements',
      '/api/v1/measurements/{measurement_id}',
      '/api/v1/goals',
      '/api/v1/goals/{goal_id}',
      '/api/v1/goals/{goal_id}/progress',
      '/api/v1/goals/{goal_id}/trends',
      '/api/v1/goals/{goal_id}/training-plan',
      '/api/v1/goals/{goal_id}/diet-plan',
      '/health',
      '/health/ready',
    ]) {
      expect(Object.keys(spec.body.paths)).toContain(path);
    }
    const docs = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('reports the database down as 503 on /health/ready', async () => {
    const broken = await createTestApp();
    await broken.database.close();
    const response = await new Api(broken.app).get('/health/ready');
    expectProblem(response, 503);
    await broken.app.close();
  });
});
