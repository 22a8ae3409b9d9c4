/**
 * A run of every operation of the service, through the real app: people signing up, measuring,
 * planning, checking in, logging, importing, exporting and leaving, with the variants that run a
 * query of their own (a list filtered or paged past its end, a retried creating POST, a check-in
 * that completes its goal or keeps its plan). test/http/indexes.test.ts plans every statement it
 * makes and checks that it reached every operation of /openapi.json.
 */
import { expect, vi } from 'vitest';
import type { App } from '../../src/http/app.ts';
import { PASSWORD, profile, uniqueEmail } from './api.ts';
import type { TestProvider } from './oidc.ts';
import { bornYearsAgo, navy, navyWaistFor, quickstartMan } from './people.ts';
import { resetToken, type SmtpSink } from './smtp.ts';

export interface Call {
  method: string;
  url: string;
  status: number;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const at = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 19);

/** The provider single sign-on goes to (test/helpers/oidc.ts), and the redirect URI Recomp has there. */
export interface SsoProvider {
  provider: TestProvider;
  redirectUri: string;
}

/**
 * Runs the flow; every request it made, in order. A request that fails the flow throws, naming it.
 * The app must have single sign-on with sign-up allowed, at `sso`; `mail` is the SMTP sink it sends
 * to (SMTP_URL), for the password reset.
 */
export async function runEveryRoute(app: App, sso: SsoProvider, mail: SmtpSink): Promise<Call[]> {
  const calls: Call[] = [];

  /** One request; its JSON body (null for none or text). Throws unless the status is `expected`. */
  async function send(
    method: Method,
    url: string,
    options: { token?: string; body?: unknown; csv?: string; headers?: Record<string, string>; expected?: number } = {},
  ) {
    const response = await app.inject({
      method,
      url,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.csv === undefined ? {} : { 'content-type': 'text/csv' }),
        ...options.headers,
      },
      ...(options.csv !== undefined ? { payload: options.csv } : options.body === undefined ? {} : { payload: options.body as object }),
    });
    calls.push({ method, url, status: response.statusCode });
    const expected = options.expected ?? (method === 'POST' && !url.startsWith('/api/v1/auth/') && !url.endsWith('/import') ? 201 : 200);
    if (response.statusCode !== expected)
      throw new Error(`${method} ${url}: ${response.statusCode} (expected ${expected}) ${response.body}`);
    return /json/.test(String(response.headers['content-type'])) ? JSON.parse(response.body) : null;
  }

  /** A new person, signed in. */
  async function person(overrides: Record<string, unknown>) {
    const body = profile(overrides);
    const user = await send('POST', '/api/v1/users', { body });
    const tokens = await send('POST', '/api/v1/auth/login', { body: { email: body.email, password: PASSWORD } });
    const as = (token: string) => ({
      get: (url: string, expected?: number) => send('GET', url, { token, ...(expected ? { expected } : {}) }),
      call: (method: Method, url: string, body?: unknown, expected?: number, headers?: Record<string, string>) =>
        send(method, url, { token, body, ...(expected ? { expected } : {}), ...(headers ? { headers } : {}) }),
      importCsv: (csv: string) => send('POST', '/api/v1/users/me/weights/import', { token, csv }),
      /** An import as a job, followed until it has ended. */
      importFile: async (csv: string, query = '') => {
        const started = await send('POST', `/api/v1/users/me/imports${query}`, { token, csv, expected: 202 });
        await vi.waitFor(async () => expect((await send('GET', `/api/v1/users/me/imports/${started.id}`, { token })).status).toBe('done'), {
          timeout: 20_000,
          interval: 20,
        });
        return started.id as string;
      },
    });
    return { user, tokens, email: body.email as string, ...as(tokens.access_token), withToken: as };
  }

  await send('GET', '/health');
  await send('GET', '/health/ready');
  await send('GET', '/openapi.json');

  // A cut: three measurements, a goal, a check-in that recomputes the plan and one that reaches the target.
  const cutter = await person(quickstartMan());
  await cutter.get('/api/v1/users/me');
  await cutter.call('PATCH', '/api/v1/users/me', { activity_level: 'very_active' });
  const first = navy({ measured_at: at(-21) });
  const start = await cutter.call('POST', '/api/v1/measurements', first, 201, { 'idempotency-key': 'first-measurement' });
  // The retry is answered from the stored response.
  await cutter.call('POST', '/api/v1/measurements', first, 201, { 'idempotency-key': 'first-measurement' });
  const spare = await cutter.call('POST', '/api/v1/measurements', navy({ measured_at: at(-20), waist_cm: 94.9 }));
  await cutter.get(`/api/v1/measurements/${spare.id}`);
  await cutter.get('/api/v1/measurements?limit=2');
  await cutter.get('/api/v1/measurements?offset=100');
  await cutter.call('DELETE', `/api/v1/measurements/${spare.id}`, undefined, 204);
  await cutter.call(
    'POST',
    '/api/v1/goals/preview',
    { goal_type: 'cutting', initial_measurement_id: start.id, target_body_fat_percentage: 22 },
    200,
  );
  const goal = await cutter.call('POST', '/api/v1/goals', {
    goal_type: 'cutting',
    initial_measurement_id: start.id,
    target_body_fat_percentage: 22,
  });
  await cutter.get(`/api/v1/goals/${goal.id}`);
  await cutter.get('/api/v1/goals');
  await cutter.get('/api/v1/goals?status=active');
  await cutter.get('/api/v1/goals?offset=100');
  await cutter.get('/api/v1/goals?status=active&offset=100');
  await cutter.get(`/api/v1/goals/${goal.id}/rate-preview?weekly_rate_percent=0.75`);
  await cutter.call('PATCH', `/api/v1/goals/${goal.id}`, { weekly_rate_percent: 0.5 });
  await cutter.get(`/api/v1/goals/${goal.id}/training-plan`);
  await cutter.get(`/api/v1/goals/${goal.id}/diet-plan`);
  const checkIns = [];
  for (const [offset, measuredAt, bodyFat] of [
    [-14, at(-14), 23.5],
    [-1, `${day(-1)}T10:00:00`, 23],
  ] as const) {
    const measurement = await cutter.call(
      'POST',
      '/api/v1/measurements',
      navy({ measured_at: measuredAt, weight_kg: 89, waist_cm: navyWaistFor(bodyFat) }),
    );
    checkIns.push(
      await cutter.call('POST', `/api/v1/goals/${goal.id}/progress`, { measurement_id: measurement.id }, 201, {
        'idempotency-key': `check-in${offset}`,
      }),
    );
  }
  // The latest check-in deleted (the goal restored), then logged again and replaced by a completing one of the same day.
  await cutter.call('DELETE', `/api/v1/goals/${goal.id}/progress/${checkIns[1].id}`, undefined, 204);
  await cutter.call('POST', `/api/v1/goals/${goal.id}/progress`, { measurement_id: checkIns[1].measurement_id }, 201);
  const sameDay = await cutter.call(
    'POST',
    '/api/v1/measurements',
    navy({ measured_at: `${day(-1)}T11:00:00`, weight_kg: 89, waist_cm: navyWaistFor(21.5) }),
  );
  await cutter.call('POST', `/api/v1/goals/${goal.id}/progress`, { measurement_id: sameDay.id }, 400);
  const completing = await cutter.call('POST', `/api/v1/goals/${goal.id}/progress`, { measurement_id: sameDay.id, replace: true }, 201);
  // Undoing the completing check-in reopens the goal; logged again, it completes it again.
  await cutter.call('DELETE', `/api/v1/goals/${goal.id}/progress/${completing.id}`, undefined, 204);
  await cutter.call('POST', `/api/v1/goals/${goal.id}/progress`, { measurement_id: sameDay.id }, 201);
  await cutter.get(`/api/v1/goals/${goal.id}/targets`);
  await cutter.get(`/api/v1/goals/${goal.id}/progress`);
  await cutter.get(`/api/v1/goals/${goal.id}/trends`);

  // Daily logs: weigh-ins typed in and imported, intake, the expenditure estimate they give.
  for (let offset = -28; offset <= 0; offset++) {
    if (offset % 7 !== 0) await cutter.call('PUT', `/api/v1/users/me/weights/${day(offset)}`, { weight_kg: 89 + offset / 50 });
    // Every fifth day logged only partly: the estimate reads the flag with the calories.
    await cutter.call(
      'PUT',
      `/api/v1/users/me/intake/${day(offset)}`,
      offset % 5 === 0 ? { calories: 1100, complete: false } : { calories: 2400, protein_g: 180 },
    );
  }
  await cutter.importCsv(`date,weight\n${[-28, -21, -14, -7, 0].map((offset) => `${day(offset)},${89 + offset / 50}`).join('\n')}\n`);
  // Imports as jobs: a file compared and stored, the same file again as a dry run, the list paged past its end.
  const history = `date,weight\n${[-40, -35, -30, -3].map((offset) => `${day(offset)},${89 + offset / 50}`).join('\n')}\n`;
  await cutter.importFile(history);
  await cutter.importFile(history, '?dry_run=true&on_conflict=replace');
  // A MyFitnessPal diary: its intake stored on days of their own, a day typed in by hand kept.
  const meals = [-40, -35, -3].flatMap((offset) => [`${day(offset)},Breakfast,600,20,70,40`, `${day(offset)},Dinner,1500,50,160,90`]);
  await cutter.importFile(`Date,Meal,Calories,Fat (g),Carbohydrates (g),Protein (g)\n${meals.join('\n')}\n`);
  await cutter.get('/api/v1/users/me/imports');
  await cutter.get('/api/v1/users/me/imports?offset=100');
  await cutter.get('/api/v1/users/me/weights');
  await cutter.get(`/api/v1/users/me/intake?from=${day(-7)}&to=${day(0)}`);
  await cutter.get('/api/v1/users/me/expenditure');
  await cutter.call('DELETE', `/api/v1/users/me/weights/${day(-1)}`, undefined, 204);
  await cutter.call('DELETE', `/api/v1/users/me/intake/${day(-1)}`, undefined, 204);
  await cutter.get('/api/v1/users/me/export');
  await cutter.get('/api/v1/users/me/export?format=csv');

  // A light person's bulk after ten weeks of huge logged intake at a steady weight: the expenditure
  // estimate puts the target at the cap, which the check-in moves towards by a week's step.
  const bulker = await person({ gender: 'female', height_cm: 160, date_of_birth: bornYearsAgo(30) });
  const bulkStart = await bulker.call('POST', '/api/v1/measurements', {
    weight_kg: 45,
    calculation_method: 'navy',
    waist_cm: 62,
    neck_cm: 31,
    hip_cm: 86,
    measured_at: at(-70),
  });
  const bulk = await bulker.call('POST', '/api/v1/goals', {
    goal_type: 'bulking',
    initial_measurement_id: bulkStart.id,
    ceiling_body_fat_percentage: 30,
  });
  const days = Array.from({ length: 71 }, (_, i) => day(i - 70));
  await bulker.importCsv(`date,weight\n${days.map((d) => `${d},45`).join('\n')}\n`);
  for (const d of days) await bulker.call('PUT', `/api/v1/users/me/intake/${d}`, { calories: 15_000 });
  const bulkCheck = await bulker.call('POST', '/api/v1/measurements', {
    weight_kg: 45,
    calculation_method: 'navy',
    waist_cm: 62.5,
    neck_cm: 31,
    hip_cm: 86,
    measured_at: at(0),
  });
  await bulker.call('POST', `/api/v1/goals/${bulk.id}/progress`, { measurement_id: bulkCheck.id });
  await bulker.call('PATCH', `/api/v1/goals/${bulk.id}`, { status: 'abandoned' });

  // A password reset: for an address without an account (dropped by the sender) and for one with,
  // whose link's token sets a new password; the sender's queries run too, and the outbox's gauge.
  await send('GET', '/api/v1/auth/options');
  const forgetful = await person(quickstartMan());
  await send('POST', '/api/v1/auth/password-reset', { body: { email: `nobody-${forgetful.email}` }, expected: 202 });
  await send('POST', '/api/v1/auth/password-reset', { body: { email: forgetful.email }, expected: 202 });
  const token = resetToken(await mail.mailTo(forgetful.email));
  await send('POST', '/api/v1/auth/password-reset/confirm', { body: { token, new_password: `${PASSWORD}-reset` } });
  await send('GET', '/metrics');

  // Sessions: refresh, the password and the email changed, sign-out, and the account deleted.
  const refreshed = await send('POST', '/api/v1/auth/refresh', { body: { refresh_token: cutter.tokens.refresh_token } });
  const renewed = cutter.withToken(refreshed.access_token);
  await renewed.call('PUT', '/api/v1/users/me/password', { current_password: PASSWORD, new_password: `${PASSWORD}2` }, 204);
  await renewed.call('PUT', '/api/v1/users/me/email', { password: `${PASSWORD}2`, new_email: `moved-${cutter.email}` });
  await renewed.call('POST', '/api/v1/auth/logout', undefined, 204);
  await bulker.call('DELETE', '/api/v1/users/me', { password: PASSWORD }, 204);

  // Single sign-on: a sign-up through the provider and its first password, a link by password, a sign-in.
  /** A GET answered with a redirect; its Location and Set-Cookie. */
  async function redirected(url: string, cookie?: string) {
    const response = await app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
    calls.push({ method: 'GET', url, status: response.statusCode });
    if (response.statusCode !== 302) throw new Error(`GET ${url}: ${response.statusCode} (expected 302) ${response.body}`);
    return { location: String(response.headers.location), cookie: String(response.headers['set-cookie']).split(';')[0]! };
  }
  async function throughProvider(sub: string): Promise<string> {
    sso.provider.signInAs(sub);
    const start = await redirected('/api/v1/auth/oidc/start');
    const back = await sso.provider.follow(start.location, sso.redirectUri);
    const toWebApp = await redirected(back.pathname + back.search, start.cookie);
    return new URLSearchParams(new URL(toWebApp.location).hash.slice(1)).get('code')!;
  }
  await send('GET', '/api/v1/auth/options');
  const newcomer = { sub: `newcomer-${uniqueEmail()}`, email: uniqueEmail('sso'), email_verified: true, name: 'New Comer' };
  sso.provider.account(newcomer);
  const signupCode = await throughProvider(newcomer.sub);
  await send('POST', '/api/v1/auth/oidc/pending', { body: { code: signupCode } });
  const { email: _email, password: _password, ...completed } = profile();
  const ssoTokens = await send('POST', '/api/v1/auth/oidc/signup', { body: { code: signupCode, ...completed } });
  await send('POST', '/api/v1/users/me/password', { token: ssoTokens.access_token, body: { new_password: PASSWORD }, expected: 204 });
  await send('POST', '/api/v1/auth/oidc/exchange', { body: { code: await throughProvider(newcomer.sub) } });
  const registered = await person({});
  const claimant = { sub: `claimant-${registered.email}`, email: registered.email, email_verified: true };
  sso.provider.account(claimant);
  await send('POST', '/api/v1/auth/oidc/link', { body: { code: await throughProvider(claimant.sub), password: PASSWORD } });
  return calls;
}
