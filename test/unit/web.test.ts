/**
 * Serving the web app (src/http/web.ts) from a stand-in build: caching headers, compression and
 * revalidation, the SPA fallback for the app's screens only, JSON at `/` for API clients, and
 * problem-details 404s everywhere else — with and without a build.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../src/http/errors.ts';
import { IMMUTABLE, REVALIDATE, webApp } from '../../src/http/web.ts';
import { APP_PATHS } from '../../web/src/paths.ts';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-AbCd1234.js"></script></head><body><div id="app"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

let dir: string;
let app: FastifyInstance;

async function serve(root: string) {
  const instance = Fastify({ routerOptions: { ignoreTrailingSlash: true } }); // as in src/http/app.ts
  registerErrorHandling(instance);
  instance.get('/api/v1/ping', async () => ({ pong: true }));
  await instance.register(webApp, { root });
  await instance.ready();
  return instance;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'recomp-web-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), INDEX);
  await writeFile(path.join(dir, 'assets', 'index-AbCd1234.js'), SCRIPT);
  await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(path.join(dir, 'manifest.webmanifest'), '{"name":"Recomp"}');
  await writeFile(path.join(dir, '.build-hash'), 'abc\n');
  app = await serve(dir);
});
afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the web app at /', () => {
  it('serves index.html to a browser, revalidated on every use', async () => {
    const response = await app.inject({ url: '/', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe(REVALIDATE);
    expect(response.headers.vary).toContain('accept');
    expect(response.body).toBe(INDEX);
  });

  it('serves the service worker, its manifest and /index.html (which the worker precaches), revalidated on every use', async () => {
    const expected: Record<string, string> = {
      '/sw.js': 'text/javascript; charset=utf-8',
      '/manifest.webmanifest': 'application/manifest+json; charset=utf-8',
      '/index.html': 'text/html; charset=utf-8',
    };
    for (const [url, type] of Object.entries(expected)) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toBe(type);
      expect(response.headers['cache-control'], url).toBe(REVALIDATE);
    }
  });

  it('answers an API client at / with the API description, as before the app', async () => {
    const response = await app.inject({ url: '/', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: 'Recomp API', version: expect.any(String), docs: '/docs' });
  });

  it.each(APP_PATHS.filter((p) => p !== '/'))('serves index.html at the screen %s (and with a trailing slash)', async (screen) => {
    for (const url of [screen, `${screen}/`]) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(INDEX);
      expect(response.headers['cache-control']).toBe(REVALIDATE);
    }
  });

  it('marks hashed assets immutable and compresses them when the client accepts it', async () => {
    const plain = await app.inject({ url: '/assets/index-AbCd1234.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe(IMMUTABLE);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);

    const br = await app.inject({ url: '/assets/index-AbCd1234.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);
    expect(br.rawPayload.length).toBeLessThan(SCRIPT.length / 4);

    const gzip = await app.inject({ url: '/assets/index-AbCd1234.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const first = await app.inject({ url: '/favicon.svg' });
    expect(first.headers['cache-control']).toBe(REVALIDATE);
    expect(first.headers['content-type']).toBe('image/svg+xml');
    const again = await app.inject({ url: '/favicon.svg', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves HEAD like GET without a body', async () => {
    const response = await app.inject({ method: 'HEAD', url: '/history' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
  });

  it.each([
    '/api/v1/nope',
    '/api/v1/users/me/x',
    '/health/nope',
    '/docs/nope',
    '/openapi.json/x',
    '/assets/missing-12345678.js',
    '/.build-hash',
    '/nope',
    '/history/old',
  ])('keeps the problem-details 404 at %s', async (url) => {
    const response = await app.inject({ url, headers: { accept: 'text/html' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('leaves the API routes alone', async () => {
    const response = await app.inject({ url: '/api/v1/ping' });
    expect(response.json()).toEqual({ pong: true });
  });
});

describe('without a build', () => {
  it('serves the API only: JSON at /, 404 for the screens', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'recomp-web-empty-'));
    const bare = await serve(path.join(empty, 'missing'));
    try {
      const root = await bare.inject({ url: '/', headers: { accept: 'text/html' } });
      expect(root.statusCode).toBe(200);
      expect(root.json()).toMatchObject({ message: 'Recomp API', docs: '/docs' });
      const screen = await bare.inject({ url: '/history' });
      expect(screen.statusCode).toBe(404);
      expect(screen.headers['content-type']).toMatch(/^application\/problem\+json/);
    } finally {
      await bare.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
