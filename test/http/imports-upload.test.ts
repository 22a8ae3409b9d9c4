/**
 * Uploads of an import's file over real sockets (src/http/deadline.ts, docs/SECURITY.md): a file may
 * take longer than REQUEST_TIMEOUT_MS and the response deadline to arrive while it keeps arriving;
 * one that stops arriving is answered 408; a declared length past IMPORT_MAX_BYTES is refused before
 * the body is read; and whatever happens to the upload, the spool is left empty.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Api, signUp } from '../helpers/api.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ended, spoolFolder } from '../helpers/imports.ts';
import { Wire } from '../helpers/wire.ts';

const REQUEST_TIMEOUT_MS = 2000;
const RESPONSE_TIMEOUT_MS = 1000;
const MAX_BYTES = 64 * 1024;
/** The connection's idle limit is REQUEST_TIMEOUT_MS and two of Node's checks (200 ms apart here); then up to a check late. */
const IDLE_SLACK_MS = 1500;

let t: TestApp;
let spool: Awaited<ReturnType<typeof spoolFolder>>;
let port: number;
let api: Api;

beforeAll(async () => {
  spool = await spoolFolder();
  t = await createTestApp({
    env: {
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      RESPONSE_TIMEOUT_MS: String(RESPONSE_TIMEOUT_MS),
      IMPORT_SPOOL_DIR: spool.dir,
      IMPORT_MAX_BYTES: String(MAX_BYTES),
    },
  });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  port = (t.app.server.address() as AddressInfo).port;
  api = (await signUp(t.app, { date_of_birth: '1980-01-01' })).api;
});
afterAll(async () => {
  await t.close();
  await spool.remove();
});

const FILE = `date,weight\n${Array.from({ length: 30 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')},${80 + i / 10}`).join('\n')}\n`;

const head = (length: number) =>
  [
    'POST /api/v1/users/me/imports HTTP/1.1',
    'host: 127.0.0.1',
    `authorization: Bearer ${api.token}`,
    'content-type: text/csv',
    `content-length: ${length}`,
    '',
    '',
  ].join('\r\n');

const spoolEmptied = () => vi.waitFor(async () => expect(await spool.files()).toEqual([]), { timeout: 5000, interval: 20 });

describe('an upload', () => {
  it('is taken when it arrives over longer than the request timeout and the response deadline, as long as it keeps arriving', async () => {
    const wire = new Wire(port);
    wire.socket.write(head(Buffer.byteLength(FILE)));
    const pieces = FILE.match(/[^]{1,40}/g)!;
    // About 3.2 s of sending: past the 2 s request timeout and the 1 s deadline, never idle for long.
    await wire.trickle(pieces, 3200 / pieces.length);
    const answer = await wire.nextAnswer(1);
    expect(answer.status, answer.body).toBe(202);
    wire.socket.destroy();
    expect(await ended(api, JSON.parse(answer.body).id)).toMatchObject({ status: 'done', report: { weights: { imported: 30 } } });
    await spoolEmptied();
  }, 20_000);

  it('is answered 408 and its connection closed when it stops arriving, leaving nothing behind', async () => {
    const wire = new Wire(port);
    wire.socket.write(head(Buffer.byteLength(FILE)));
    wire.socket.write(FILE.slice(0, 100));
    const closedAt = await wire.closedWithin(REQUEST_TIMEOUT_MS + IDLE_SLACK_MS + 1000);
    expect(closedAt, 'closed by the server').not.toBeNull();
    expect(wire.answers()).toHaveLength(1);
    expect(wire.answers()[0]).toMatchObject({ status: 408, headers: { connection: 'close', 'content-type': 'application/problem+json' } });
    expect(JSON.parse(wire.answers()[0]!.body)).toMatchObject({
      status: 408,
      code: 'request_timeout',
      instance: '/api/v1/users/me/imports',
    });
    await spoolEmptied();
  }, 20_000);

  it('leaves nothing behind when its client goes away in the middle', async () => {
    const wire = new Wire(port);
    wire.socket.write(head(Buffer.byteLength(FILE)));
    wire.socket.write(FILE.slice(0, 100));
    await vi.waitFor(async () => expect(await spool.files()).toHaveLength(1), { timeout: 5000, interval: 20 });
    wire.socket.destroy();
    await spoolEmptied();
    // Its place among the imports was given back too: the next import is taken.
    const next = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users/me/imports',
      payload: FILE,
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'text/csv' },
    });
    expect(next.statusCode).toBe(202);
    await ended(api, next.json().id);
  });

  it('is refused with 413 before its body is read when its declared length is past IMPORT_MAX_BYTES', async () => {
    const wire = new Wire(port);
    wire.socket.write(head(MAX_BYTES + 1));
    const answer = await wire.nextAnswer(1);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 413, code: 'file_too_large' });
    expect(await wire.closedWithin(2000)).not.toBeNull();
    await spoolEmptied();
  });
});
