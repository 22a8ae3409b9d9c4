/** Brute force, rate limits, security headers, CORS and body limits (docs/SECURITY.md, "Abuse of the HTTP surface"). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem, PASSWORD, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let anonymous: Api;
beforeAll(async () => {
  t = await createTestApp({ env: { LOGIN_MAX_FAILURES_PER_ADDRESS: '25', ALLOWED_ORIGINS: 'https://app.example.com' } });
  anonymous = new Api(t.app);
});
afterAll(async () => {
  await t.close();
});

const login = (api: Api, email: string, password: string, address = '203.0.113.7') =>
  api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: address });

describe('sign-in brute force', () => {
  it('locks an account after 10 failures with 429 and Retry-After, without touching other accounts', async () => {
    const victim = await signUp(t.app);
    const bystander = await signUp(t.app);
    for (let i = 0; i < 10; i++) expect((await login(anonymous, victim.user.email, `wrong-${i}`)).statusCode).toBe(401);
    for (const password of ['wrong-again', PASSWORD]) {
      const locked = await login(anonymous, victim.user.email, password);
      expect(locked.statusCode).toBe(429);
      expect(locked.headers['content-type']).toMatch(/problem\+json/);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(900);
    }
    // Same address, another account: its successful sign-in is not blocked by the victim's failures.
    expect((await login(anonymous, bystander.user.email, PASSWORD)).statusCode).toBe(200);
  });

  it('limits failures per client address across accounts', async () => {
    const address = '198.51.100.9';
    for (let i = 0; i < 25; i++)
      expect((await login(anonymous, `nobody-${i}@example.com`, 'WrongPassword1', address)).statusCode).toBe(401);
    const blocked = await login(anonymous, 'nobody-else@example.com', 'WrongPassword1', address);
    expect(blocked.statusCode).toBe(429);
    const elsewhere = await signUp(t.app);
    expect((await login(anonymous, elsewhere.user.email, PASSWORD, '192.0.2.1')).statusCode).toBe(200);
  });

  it('does not count a right password towards the limit', async () => {
    const person = await signUp(t.app);
    const address = '192.0.2.50';
    for (let i = 0; i < 9; i++) await login(anonymous, person.user.email, 'nope-nope', address);
    for (let i = 0; i < 3; i++) expect((await login(anonymous, person.user.email, PASSWORD, address)).statusCode).toBe(200);
    expect((await login(anonymous, person.user.email, 'nope-nope', address)).statusCode).toBe(401);
    expect((await login(anonymous, person.user.email, PASSWORD, address)).statusCode).toBe(429);
  });
});

describe('the general rate limit', () => {
  it('answers 429 problem details with RateLimit headers past the limit, per caller', async () => {
    const limited = await createTestApp({ env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_SECONDS: '60' } });
    try {
      const one = await signUp(limited.app);
      const two = await signUp(limited.app);
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await one.api.get('/api/v1/goals')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const refused = await one.api.get('/api/v1/goals');
      expectProblem(refused, 429);
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.headers['ratelimit-limit']).toBe('5');
      expect(refused.headers['ratelimit-remaining']).toBe('0');
      // Another signed-in user has a budget of their own.
      expect((await two.api.get('/api/v1/goals')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('is on by default and generous', async () => {
    const response = await anonymous.get('/health');
    expect(Number(response.headers['ratelimit-limit'])).toBeGreaterThanOrEqual(10_000);
  });
});

describe('headers, origins and limits', () => {
  it('sends security headers', async () => {
    const response = await anonymous.get('/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(String(response.headers['content-security-policy'])).toMatch(/default-src 'self'/);
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('allows CORS only from the allow-list', async () => {
    const allowed = await anonymous.request('GET', '/health', undefined, { origin: 'https://app.example.com' });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/goals',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/idempotency-key/);
    const denied = await anonymous.request('GET', '/health', undefined, { origin: 'https://evil.example' });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("sends helmet's full set of headers on every response, errors included", async () => {
    for (const response of [await anonymous.get('/health'), await anonymous.get('/nope'), await anonymous.get('/api/v1/goals')]) {
      expect(response.headers['content-security-policy']).toBe(
        "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline'",
      );
      expect(response.headers).toMatchObject({
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'origin-agent-cluster': '?1',
        'referrer-policy': 'no-referrer',
        'x-dns-prefetch-control': 'off',
        'x-download-options': 'noopen',
        'x-permitted-cross-domain-policies': 'none',
        'x-xss-protection': '0',
      });
      expect(response.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('varies every response on Origin and answers preflights strictly', async () => {
    const plain = await anonymous.get('/health');
    expect(plain.headers.vary).toBe('Origin');
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = (headers: Record<string, string>) => t.app.inject({ method: 'OPTIONS', url: '/api/v1/goals', headers });
    const good = await preflight({ origin: 'https://app.example.com', 'access-control-request-method': 'DELETE' });
    expect(good.statusCode).toBe(204);
    expect(good.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS',
      'access-control-max-age': '600',
      'content-length': '0',
      vary: 'Origin',
    });
    expect(String(good.headers['access-control-expose-headers'])).toMatch(/ratelimit-remaining/);
    // Without Origin, or without the method asked for, it is not a preflight.
    for (const headers of [{ 'access-control-request-method': 'POST' }, { origin: 'https://app.example.com' }] as Record<
      string,
      string
    >[]) {
      const refused = await preflight(headers);
      expect(refused.statusCode).toBe(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ status: 400, code: 'invalid_preflight', instance: '/api/v1/goals' });
    }
    const foreign = await preflight({ origin: 'https://evil.example', 'access-control-request-method': 'POST' });
    expect(foreign.statusCode).toBe(204);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reflects any origin, without credentials, when ALLOWED_ORIGINS is *', async () => {
    const open = await createTestApp({ env: { ALLOWED_ORIGINS: '*' } });
    try {
      const response = await open.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://anywhere.example' } });
      expect(response.headers['access-control-allow-origin']).toBe('https://anywhere.example');
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      expect(response.headers.vary).toBe('Origin');
    } finally {
      await open.close();
    }
  });

  it('refuses JSON nested deeper than the limit with 422 and a body over the size limit with 413', async () => {
    const deep = `{"a":${'['.repeat(50)}${']'.repeat(50)}}`;
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: deep,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(422);
    expect(JSON.parse(response.body).code).toBe('json_too_deep');
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: `{"a":"${'x'.repeat(70_000)}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.statusCode).toBe(413);
  });
});
