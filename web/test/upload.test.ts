/**
 * The import's upload (api/upload.ts) without a browser: XMLHttpRequest is a fake that answers as
 * each test says, the token refresh a fake fetch, the storage in memory.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, SessionExpired } from '../src/api/client.ts';
import { startImport } from '../src/api/queries.ts';
import { loadTokens } from '../src/api/tokens.ts';
import { uploadFile } from '../src/api/upload.ts';
import { MemoryStorage } from './memoryStorage.ts';

/** An XMLHttpRequest that records what it was sent and answers with `FakeRequest.answer` once sent. */
class FakeRequest {
  static sent: FakeRequest[] = [];
  static answer: (request: FakeRequest) => void = () => {};
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  responseText = '';
  aborted = false;
  readonly upload = new EventTarget();
  private readonly events = new EventTarget();
  private responseHeaders: Record<string, string> = {};

  addEventListener(type: string, listener: EventListener) {
    this.events.addEventListener(type, listener);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  getResponseHeader(name: string) {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }
  send(body: unknown) {
    this.body = body;
    FakeRequest.sent.push(this);
    queueMicrotask(() => FakeRequest.answer(this));
  }
  abort() {
    this.aborted = true;
    this.events.dispatchEvent(new Event('abort'));
  }

  progress(loaded: number, total: number) {
    this.upload.dispatchEvent(Object.assign(new Event('progress'), { lengthComputable: true, loaded, total }));
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.responseHeaders = { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' };
    this.events.dispatchEvent(new Event('load'));
  }
  fail() {
    this.events.dispatchEvent(new Event('error'));
  }
}

const PAIR = { access_token: 'new-access', refresh_token: 'new-refresh', token_type: 'bearer', expires_in: 900 };
const JOB = { id: 'job-1', status: 'running', format: 'myfitnesspal', progress: 0 };
const file = () => new File(['Date,Meal,Calories\n2026-11-01,Lunch,700\n'], 'Nutrition-Summary.csv', { type: 'text/csv' });
let refreshes: number;

beforeEach(() => {
  FakeRequest.sent = [];
  FakeRequest.answer = () => {};
  refreshes = 0;
  vi.stubGlobal('localStorage', new MemoryStorage());
  vi.stubGlobal('navigator', {});
  vi.stubGlobal('XMLHttpRequest', FakeRequest);
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    if (`${init.method} ${url}` !== 'POST /api/v1/auth/refresh') throw new TypeError('Failed to fetch');
    refreshes++;
    return new Response(JSON.stringify(PAIR), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  localStorage.setItem(
    'recomp.session',
    JSON.stringify({ access: 'old-access', refresh: 'old-refresh', accessExpiresAt: Date.now() + 600_000 }),
  );
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('uploading a file with its progress', () => {
  it('POSTs the file itself as application/octet-stream with the access token, tells the progress, and gives the answer', async () => {
    const told: number[] = [];
    FakeRequest.answer = (request) => {
      request.progress(1024, 4096);
      request.progress(4096, 4096);
      request.respond(202, JOB);
    };
    const sent = file();
    expect(await uploadFile('/users/me/imports?dry_run=true', sent, { onProgress: (f) => told.push(f) })).toEqual(JOB);
    const [request] = FakeRequest.sent;
    expect(request).toMatchObject({ method: 'POST', url: '/api/v1/users/me/imports?dry_run=true', body: sent });
    expect(request!.headers).toEqual({
      accept: 'application/json',
      'content-type': 'application/octet-stream',
      authorization: 'Bearer old-access',
    });
    expect(told).toEqual([0, 0.25, 1]);
  });

  it('refreshes an access token refused with 401 once, and sends the file again with the new one', async () => {
    FakeRequest.answer = (request) => {
      if (request.headers.authorization === 'Bearer old-access')
        request.respond(401, { status: 401, title: 'Unauthorized', detail: 'Token expired' });
      else request.respond(202, JOB);
    };
    expect(await uploadFile('/users/me/imports', file())).toEqual(JOB);
    expect(FakeRequest.sent.map((r) => r.headers.authorization)).toEqual(['Bearer old-access', 'Bearer new-access']);
    expect(refreshes).toBe(1);
    expect(loadTokens()?.access).toBe('new-access');
  });

  it('ends the sign-in when the new token is refused too', async () => {
    FakeRequest.answer = (request) => request.respond(401, { status: 401, title: 'Unauthorized', detail: 'Token expired' });
    await expect(uploadFile('/users/me/imports', file())).rejects.toBeInstanceOf(SessionExpired);
    expect(loadTokens()).toBeNull();
  });

  it('refreshes a token about to expire before sending, rather than have the upload refused', async () => {
    localStorage.setItem('recomp.session', JSON.stringify({ access: 'old-access', refresh: 'old-refresh', accessExpiresAt: Date.now() }));
    FakeRequest.answer = (request) => request.respond(202, JOB);
    await uploadFile('/users/me/imports', file());
    expect(FakeRequest.sent.map((r) => r.headers.authorization)).toEqual(['Bearer new-access']);
  });

  it("throws a refusal as its problem: the service's message and code", async () => {
    for (const [status, code, detail] of [
      [422, 'unknown_format', 'The file is in no format this service reads'],
      [413, 'file_too_large', 'The file is larger than the 1024 bytes an import takes'],
    ] as const) {
      FakeRequest.answer = (request) => request.respond(status, { type: 'about:blank', title: 'x', status, detail, code });
      const error = await uploadFile('/users/me/imports', file()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status, code, message: detail });
    }
  });

  it('says the service cannot be reached when no answer came', async () => {
    FakeRequest.answer = (request) => request.fail();
    const error = await uploadFile('/users/me/imports', file()).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: 'network' });
  });

  it('stops the upload when its signal aborts, and sends nothing once it has', async () => {
    const controller = new AbortController();
    FakeRequest.answer = () => controller.abort();
    const error = await uploadFile('/users/me/imports', file(), { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(FakeRequest.sent[0]!.aborted).toBe(true);
    await expect(uploadFile('/users/me/imports', file(), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(FakeRequest.sent).toHaveLength(1);
  });
});

describe('starting an import', () => {
  it('puts the options in the query and leaves out those not given', async () => {
    FakeRequest.answer = (request) => request.respond(202, JOB);
    await startImport(file(), { dry_run: false, on_conflict: 'replace' }, {});
    await startImport(file(), { dry_run: true }, {});
    expect(FakeRequest.sent.map((r) => r.url)).toEqual([
      '/api/v1/users/me/imports?dry_run=false&on_conflict=replace',
      '/api/v1/users/me/imports?dry_run=true',
    ]);
  });
});
