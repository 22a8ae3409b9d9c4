/**
 * Imports through the HTTP API (docs/DESIGN.md, 'Imports'): a file sent, its job followed until it
 * ends; ZIP archives made from the fixtures.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { expect, vi } from 'vitest';
import yazl from 'yazl';
import type { App } from '../../src/http/app.ts';
import type { Api, Response } from './api.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/imports');

/** The entries of a ZIP archive: name → a fixture (a path under FIXTURES) or the content itself. */
export type ZipEntries = Record<string, { fixture: string } | string | Buffer>;

/** A ZIP archive of the entries, in memory. */
export async function zipOf(entries: ZipEntries): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) {
    zip.addBuffer(
      typeof content === 'string' || Buffer.isBuffer(content) ? Buffer.from(content) : await readFile(path.join(FIXTURES, content.fixture)),
      name,
    );
  }
  zip.end();
  return buffer(zip.outputStream);
}

/** A spool folder of the test's own, to look into and to remove afterwards. */
export async function spoolFolder(): Promise<{ dir: string; files: () => Promise<string[]>; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recomp-test-spool-'));
  return { dir, files: () => readdir(dir), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Sends a file as the body of POST /api/v1/users/me/imports. */
export async function sendFile(
  app: App,
  token: string,
  file: Buffer | string,
  options: { query?: string; contentType?: string } = {},
): Promise<Response> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/users/me/imports${options.query ?? ''}`,
    payload: file,
    headers: { authorization: `Bearer ${token}`, 'content-type': options.contentType ?? 'text/csv' },
  });
  return { status: response.statusCode, body: response.body === '' ? null : JSON.parse(response.body), headers: response.headers };
}

/** The import once its job has ended (done or failed), polled until then. */
export async function ended(api: Api, id: string, timeout = 20_000): Promise<any> {
  let job: any;
  await vi.waitFor(
    async () => {
      job = (await api.get(`/api/v1/users/me/imports/${id}`)).body;
      expect(job.status).not.toBe('running');
    },
    { timeout, interval: 20 },
  );
  return job;
}

/** Sends a file, expects 202, and waits for its job to end; the import as it ended. */
export async function imported(
  app: App,
  api: Api,
  file: Buffer | string,
  options: { query?: string; contentType?: string } = {},
): Promise<any> {
  const started = await sendFile(app, api.token!, file, options);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return ended(api, started.body.id);
}

/** The weigh-ins stored from `from` to `to`, by day. */
export async function storedWeights(api: Api, from: string, to: string): Promise<Record<string, { weight_kg: number; source: string }>> {
  const series = (await api.get(`/api/v1/users/me/weights?from=${from}&to=${to}`)).body;
  return Object.fromEntries(
    series.weights
      .filter((w: { weight_kg: number | null }) => w.weight_kg !== null)
      .map((w: { date: string; weight_kg: number; source: string }) => [w.date, { weight_kg: w.weight_kg, source: w.source }]),
  );
}
