/**
 * The device's part of offline use (web/src/offline/): reads kept and answered from IndexedDB when
 * the API cannot be reached, and the queue of entries, sent in order and exactly once. IndexedDB is
 * fake-indexeddb's, the API a fake fetch, the storages in memory.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const { MemoryStorage } = await vi.hoisted(async () => {
  const { MemoryStorage } = await import('./memoryStorage.ts');
  Object.assign(globalThis, { localStorage: new MemoryStorage(), sessionStorage: new MemoryStorage() });
  return { MemoryStorage };
});

import { api, ApiError } from '../src/api/client.ts';
import { connectionStore } from '../src/offline/connection.ts';
import { queued } from '../src/offline/db.ts';
import type { EntryRequest } from '../src/offline/entries.ts';
import { discard, flush, forgetPerson, queueStore, resend, startQueue, stopQueue, submit } from '../src/offline/queue.ts';

void MemoryStorage;

const PERSON = 'a6f1c2de-0000-4000-8000-000000000001';
const OTHER = 'a6f1c2de-0000-4000-8000-000000000002';

/** An access token as the service signs them; only its `sub` is read on the device. */
function accessToken(sub: string) {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub, type: 'access', sid: 'f1' })}.signature`;
}

function signInAs(sub: string) {
  localStorage.setItem(
    'recomp.session',
    JSON.stringify({ access: accessToken(sub), refresh: 'refresh', accessExpiresAt: Date.now() + 600_000 }),
  );
}

type Answer = Response | 'network';
let answers: Record<string, Answer | (() => Answer)>;
let requests: { route: string; body: unknown; key: string | undefined }[];

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const refusal = (status: number, detail: string, extra: Record<string, unknown> = {}) =>
  json(status, { status, title: 'Bad Request', detail, ...extra });

const sent = (route: string) => requests.filter((r) => r.route === route);

beforeEach(async () => {
  // The retries' backoff runs on setTimeout: held still unless a test moves it (IndexedDB runs on setImmediate).
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  localStorage.clear();
  answers = {};
  requests = [];
  vi.stubGlobal('navigator', {});
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const route = `${init.method ?? 'GET'} ${url.replace(/^\/api\/v1/, '')}`;
    const headers = init.headers as Record<string, string>;
    requests.push({ route, body: init.body ? JSON.parse(String(init.body)) : undefined, key: headers['idempotency-key'] });
    const found = answers[route];
    const answer = typeof found === 'function' ? found() : found;
    if (!answer || answer === 'network') throw new TypeError('Failed to fetch');
    return answer;
  });
  signInAs(PERSON);
  await startQueue(PERSON);
});

afterEach(async () => {
  await forgetPerson(PERSON);
  await forgetPerson(OTHER);
  connectionStore.set({ offline: false, dataAsOf: null });
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const weighIn = (date: string, weight_kg: number): EntryRequest => ({ kind: 'weighIn', date, weight_kg });

describe('reads kept on the device', () => {
  it('answers a read the service cannot be reached for with the last answer, and says how old it is', async () => {
    answers['GET /goals?status=active'] = json(200, { goals: [{ id: 'g1' }] });
    expect(await api('GET', '/goals?status=active')).toEqual({ goals: [{ id: 'g1' }] });
    // Kept in the background: wait for IndexedDB to have it.
    await vi.waitFor(async () => {
      answers['GET /goals?status=active'] = 'network';
      expect(await api('GET', '/goals?status=active')).toEqual({ goals: [{ id: 'g1' }] });
    });
    expect(connectionStore.get().offline).toBe(true);
    expect(connectionStore.get().dataAsOf).toBeLessThanOrEqual(Date.now());
  });

  it('answers a read of everything from a later date on with the latest kept one from an earlier date, and nothing else', async () => {
    answers['GET /users/me/weights?from=2026-12-01'] = json(200, { weights: [1] });
    await api('GET', '/users/me/weights?from=2026-12-01');
    answers['GET /users/me/weights?from=2026-12-01&to=2026-12-01'] = json(200, { weights: [2] });
    await api('GET', '/users/me/weights?from=2026-12-01&to=2026-12-01');
    answers['GET /users/me/weights?from=2026-12-01'] = 'network';
    await vi.waitFor(async () => expect(await api('GET', '/users/me/weights?from=2026-12-02')).toEqual({ weights: [1] }));
    // Not what the kept read does not cover: an earlier start, or a closed range (another day's).
    await expect(api('GET', '/users/me/weights?from=2026-11-30')).rejects.toMatchObject({ status: 0 });
    await expect(api('GET', '/users/me/weights?from=2026-12-02&to=2026-12-02')).rejects.toMatchObject({ status: 0 });
  });

  it('never answers a refusal from the device, and keeps nothing of another person', async () => {
    answers['GET /users/me'] = json(200, { id: PERSON });
    await api('GET', '/users/me');
    answers['GET /users/me'] = refusal(404, 'Not found');
    await expect(api('GET', '/users/me')).rejects.toMatchObject({ status: 404 });
    signInAs(OTHER);
    answers['GET /users/me'] = 'network';
    await expect(api('GET', '/users/me')).rejects.toMatchObject({ status: 0 });
  });
});

describe('the queue', () => {
  it('sends an entry at once when the service answers, and keeps nothing', async () => {
    answers['PUT /users/me/weights/2026-12-07'] = json(200, { date: '2026-12-07', weight_kg: 80.4 });
    expect(await submit(weighIn('2026-12-07', 80.4))).toEqual({ status: 'sent', answer: { date: '2026-12-07', weight_kg: 80.4 } });
    expect(await queued(PERSON)).toEqual([]);
  });

  it('keeps an entry with no answer, shows it, and sends it once when the service is back', async () => {
    answers['PUT /users/me/weights/2026-12-07'] = 'network';
    expect(await submit(weighIn('2026-12-07', 80.4))).toEqual({ status: 'queued' });
    await vi.waitFor(() => expect(queueStore.get().entries).toHaveLength(1));
    answers['PUT /users/me/weights/2026-12-07'] = json(200, {});
    await flush();
    expect(await queued(PERSON)).toEqual([]);
    const puts = sent('PUT /users/me/weights/2026-12-07');
    expect(puts).toHaveLength(2);
    expect(puts[1]?.body).toEqual({ weight_kg: 80.4 });
  });

  it('sends only the last word for a day: a newer weigh-in replaces the one waiting', async () => {
    answers['PUT /users/me/weights/2026-12-07'] = 'network';
    await submit(weighIn('2026-12-07', 80.4));
    await submit(weighIn('2026-12-07', 80.1));
    const waiting = await queued(PERSON);
    expect(waiting.map((e) => e.request)).toEqual([weighIn('2026-12-07', 80.1)]);
  });

  it('sends in order and stops at the first failure, so a later entry never overtakes an earlier one', async () => {
    answers['PUT /users/me/weights/2026-12-06'] = 'network';
    await submit(weighIn('2026-12-06', 80.6));
    answers['PUT /users/me/weights/2026-12-07'] = json(200, {});
    // The service is still out of reach for the first: the second waits behind it.
    expect(await submit(weighIn('2026-12-07', 80.4))).toEqual({ status: 'queued' });
    expect(sent('PUT /users/me/weights/2026-12-07')).toHaveLength(0);
    answers['PUT /users/me/weights/2026-12-06'] = json(200, {});
    await flush();
    expect(requests.map((r) => r.route).slice(-2)).toEqual(['PUT /users/me/weights/2026-12-06', 'PUT /users/me/weights/2026-12-07']);
    expect(await queued(PERSON)).toEqual([]);
  });

  it('gives a refusal of the entry being saved back to its form and keeps nothing', async () => {
    answers['PUT /users/me/weights/2026-12-07'] = refusal(422, 'Validation failed', {
      errors: [{ field: 'body.weight_kg', message: 'must be >= 20' }],
    });
    await expect(submit(weighIn('2026-12-07', 5))).rejects.toBeInstanceOf(ApiError);
    expect(await queued(PERSON)).toEqual([]);
  });

  it('keeps a refused entry with the server’s words for the person, and still sends the ones after it', async () => {
    answers['PUT /users/me/weights/2026-12-06'] = 'network';
    answers['PUT /users/me/weights/2026-12-07'] = 'network';
    await submit(weighIn('2026-12-06', 5));
    await submit(weighIn('2026-12-07', 80.4));
    answers['PUT /users/me/weights/2026-12-06'] = refusal(422, 'Validation failed', {
      errors: [{ field: 'body.weight_kg', message: 'must be >= 20' }],
    });
    answers['PUT /users/me/weights/2026-12-07'] = json(200, {});
    await flush();
    const left = await queued(PERSON);
    expect(left).toHaveLength(1);
    expect(left[0]?.request).toEqual(weighIn('2026-12-06', 5));
    expect(left[0]?.refused).toMatchObject({ status: 422, errors: [{ field: 'body.weight_kg', message: 'must be >= 20' }] });
    expect(sent('PUT /users/me/weights/2026-12-07')).toHaveLength(1);
    // A refused entry is not sent again by itself.
    const tries = sent('PUT /users/me/weights/2026-12-06').length;
    await flush();
    expect(sent('PUT /users/me/weights/2026-12-06')).toHaveLength(tries);
    // Fixed, it is sent; discarded, it is gone.
    answers['PUT /users/me/weights/2026-12-06'] = json(200, {});
    const [entry] = left;
    if (!entry) throw new Error('no entry');
    await resend(entry, weighIn('2026-12-06', 80.6));
    expect(sent('PUT /users/me/weights/2026-12-06').at(-1)?.body).toEqual({ weight_kg: 80.6 });
    expect(await queued(PERSON)).toEqual([]);
  });

  it('discards an entry the person no longer wants', async () => {
    answers['PUT /users/me/weights/2026-12-07'] = 'network';
    await submit(weighIn('2026-12-07', 80.4));
    const [entry] = await queued(PERSON);
    await discard(entry?.id ?? -1);
    expect(await queued(PERSON)).toEqual([]);
  });

  it('retries a 5xx and a 429, which may have done the work, rather than calling them refused', async () => {
    answers['PUT /users/me/intake/2026-12-07'] = refusal(503, 'Unavailable');
    const intake: EntryRequest = { kind: 'intake', date: '2026-12-07', body: { calories: 2100 } };
    expect(await submit(intake)).toEqual({ status: 'queued' });
    answers['PUT /users/me/intake/2026-12-07'] = refusal(429, 'Too many requests');
    await flush();
    expect((await queued(PERSON))[0]?.refused).toBeNull();
    answers['PUT /users/me/intake/2026-12-07'] = json(200, {});
    await flush();
    expect(await queued(PERSON)).toEqual([]);
  });

  it('sends again after a failure by itself, waiting twice as long after each', async () => {
    // The jitter at its largest: each wait is then the full 2 s, 4 s, …
    vi.spyOn(Math, 'random').mockReturnValue(1);
    answers['PUT /users/me/weights/2026-12-07'] = 'network';
    await submit(weighIn('2026-12-07', 80.4));
    const puts = () => sent('PUT /users/me/weights/2026-12-07').length;
    await vi.advanceTimersByTimeAsync(1_999);
    expect(puts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(puts()).toBe(2);
    answers['PUT /users/me/weights/2026-12-07'] = json(200, {});
    await vi.advanceTimersByTimeAsync(3_999);
    expect(puts()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(async () => expect(await queued(PERSON)).toEqual([]));
    expect(puts()).toBe(3);
  });

  it('sends a check-in exactly once: a lost answer is replayed with the same keys, and a saved measurement is not sent again', async () => {
    const checkIn: EntryRequest = {
      kind: 'checkIn',
      goalId: 'g1',
      measurement: { measured_at: '2026-12-07T07:00:00.000Z', weight_kg: 80, waist_cm: 85, neck_cm: 38 },
      notes: null,
      replace: false,
      measurementKey: 'key-measurement',
      checkInKey: 'key-check-in',
      measurementId: null,
    };
    answers['POST /measurements'] = 'network';
    expect(await submit(checkIn)).toEqual({ status: 'queued' });
    // The measurement is saved; the check-in's answer is lost.
    answers['POST /measurements'] = json(201, { id: 'm1' });
    answers['POST /goals/g1/progress'] = 'network';
    await flush();
    expect((await queued(PERSON))[0]?.request).toMatchObject({ measurementId: 'm1' });
    answers['POST /goals/g1/progress'] = json(201, { id: 'p1', week_number: 1 });
    await flush();
    expect(await queued(PERSON)).toEqual([]);
    expect(sent('POST /measurements').map((r) => r.key)).toEqual(['key-measurement', 'key-measurement']);
    const checkIns = sent('POST /goals/g1/progress');
    expect(checkIns.map((r) => r.key)).toEqual(['key-check-in', 'key-check-in']);
    expect(checkIns[1]?.body).toEqual({ measurement_id: 'm1', notes: null });
  });

  it('keeps the queue when the sign-in ends, and sends it when the same person is back', async () => {
    answers['PUT /users/me/weights/2026-12-07'] = 'network';
    await submit(weighIn('2026-12-07', 80.4));
    answers['PUT /users/me/weights/2026-12-07'] = refusal(401, 'Token expired');
    answers['POST /auth/refresh'] = refusal(401, 'Refresh token revoked');
    await flush();
    expect(await queued(PERSON)).toHaveLength(1);
    stopQueue();
    // Someone else signs in on this device: they neither see nor send it.
    signInAs(OTHER);
    await startQueue(OTHER);
    expect(queueStore.get().person).toBe(OTHER);
    expect(queueStore.get().entries).toEqual([]);
    // The same person signs in again: it goes.
    answers['PUT /users/me/weights/2026-12-07'] = json(200, {});
    signInAs(PERSON);
    await startQueue(PERSON);
    expect(await queued(PERSON)).toEqual([]);
    expect(sent('PUT /users/me/weights/2026-12-07').at(-1)?.body).toEqual({ weight_kg: 80.4 });
  });

  it('sends the queue once when two senders start together', async () => {
    answers['PUT /users/me/weights/2026-12-07'] = 'network';
    await submit(weighIn('2026-12-07', 80.4));
    answers['PUT /users/me/weights/2026-12-07'] = json(200, {});
    await Promise.all([flush(), flush(), flush()]);
    expect(sent('PUT /users/me/weights/2026-12-07')).toHaveLength(2);
  });

  it('deletes everything the device keeps for the person', async () => {
    answers['GET /users/me'] = json(200, { id: PERSON });
    await api('GET', '/users/me');
    answers['PUT /users/me/weights/2026-12-07'] = 'network';
    await submit(weighIn('2026-12-07', 80.4));
    await forgetPerson(PERSON);
    expect(await queued(PERSON)).toEqual([]);
    answers['GET /users/me'] = 'network';
    await expect(api('GET', '/users/me')).rejects.toMatchObject({ status: 0 });
  });
});
