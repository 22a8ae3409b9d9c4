/**
 * The runner's HTTP side: an undici pool of keep-alive connections to one origin, and the timing of
 * each request (sent to body fully read) into the Recorder.
 */
import { Pool } from 'undici';
import type { Body } from './payloads.ts';
import type { Recorder } from './stats.ts';

export interface TimedReply {
  readonly status: number;
  readonly json: unknown;
  readonly text: string;
}

/**
 * A reply whose body is parsed as JSON only when a check reads it: the runner shares the machine
 * with the service, and most steady-state checks look at the status alone (a training plan's body
 * is several kilobytes).
 */
class Reply implements TimedReply {
  private parsed: unknown = undefined;
  constructor(
    readonly status: number,
    readonly text: string,
  ) {}
  get json(): unknown {
    if (this.parsed === undefined) {
      this.parsed = null;
      if (this.text.length > 0 && this.status !== 0) {
        try {
          this.parsed = JSON.parse(this.text);
        } catch {
          /* not JSON: null */
        }
      }
    }
    return this.parsed;
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** Load goes to this machine only, unless the caller says otherwise for a server of their own. */
export function checkBaseUrl(baseUrl: string, allowRemote: boolean): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`--base-url is not a URL: ${baseUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('--base-url must be http:// or https://');
  if (!allowRemote && !LOOPBACK.test(url.hostname)) {
    throw new Error(`--base-url ${url.hostname} is not a loopback address; pass --allow-remote to load a server of your own elsewhere`);
  }
  return url;
}

export class LoadClient {
  private readonly pool: Pool;

  constructor(
    baseUrl: URL,
    connections: number,
    private readonly recorder: Recorder,
  ) {
    this.pool = new Pool(baseUrl.origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
      connect: { timeout: 10_000 },
    });
  }

  /** Sends one request and records it under `name`; a connection error is status 0. */
  async request(
    method: 'GET' | 'POST',
    path: string,
    name: string,
    body?: Body,
    token?: string,
    recorder: Recorder = this.recorder,
  ): Promise<TimedReply> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const started = performance.now();
    let status = 0;
    let text: string;
    try {
      const response = await this.pool.request({ method, path, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      text = `connection error: ${(error as Error).message}`;
    }
    recorder.record(name, method, path, status, (performance.now() - started) * 1000, text);
    return new Reply(status, text);
  }

  close() {
    return this.pool.close();
  }
}
