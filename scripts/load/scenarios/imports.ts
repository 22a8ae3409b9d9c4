/**
 * `imports`: one big export file imported while other requests go on (docs/PERFORMANCE.md,
 * "Imports"). A person sends the file, streamed from disk, to POST /api/v1/users/me/imports and
 * polls the import until it has ended; meanwhile `others` connections, each as its own person, send
 * GET /api/v1/users/me every `paceMs`, as they do for `baselineSeconds` before it (the same requests
 * on the same machine without an import: on a shared machine, the figure to compare with).
 * Measured: the wall time from the upload's first byte to the job's end, and the latency of the
 * other requests; `npm run bench` adds the service's RSS growth from its probe. `writeWeighInCsv` makes a stand-in file of any size: a weigh-in CSV.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { LoadClient } from '../http.ts';
import { k6Email, k6RegisterBody, PASSWORD } from '../payloads.ts';
import { Recorder } from '../stats.ts';

export interface ImportsOptions {
  baseUrl: URL;
  file: string;
  others: number;
  paceMs: number;
  baselineSeconds: number;
}

export const IMPORTS_CHECKS = ['upload status is 202', 'import is done'] as const;

/** The media type the service is sent the file as, from its name. */
export function mediaTypeOf(file: string): string {
  if (file.endsWith('.zip')) return 'application/zip';
  if (file.endsWith('.xml')) return 'application/xml';
  return file.endsWith('.csv') ? 'text/csv' : 'application/octet-stream';
}

/** A weigh-in CSV of about `sizeMb` MB: a day a row, going back from yesterday, then the same days again (rows the reader refuses as repeated). */
export async function writeWeighInCsv(file: string, sizeMb: number): Promise<void> {
  const out = createWriteStream(file);
  const target = sizeMb * 1024 * 1024;
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  let written = 0;
  let row = 0;
  const header = 'date,weight\n';
  out.write(header);
  written += header.length;
  while (written < target) {
    let chunk = '';
    for (let i = 0; i < 10_000; i++, row++) {
      const day = new Date(today - (1 + (row % 20_000)) * 86_400_000).toISOString().slice(0, 10);
      chunk += `${day},${(70 + (row % 50) / 10).toFixed(1)}\n`;
    }
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function signUp(client: LoadClient, setup: Recorder): Promise<string> {
  const email = k6Email();
  const registered = await client.request(
    'POST',
    '/api/v1/users',
    'Register',
    { ...k6RegisterBody(email), date_of_birth: '1940-01-01' },
    undefined,
    setup,
  );
  const login = await client.request('POST', '/api/v1/auth/login', 'Login', { email, password: PASSWORD }, undefined, setup);
  const token = (login.json as { access_token?: unknown } | null)?.access_token;
  if (registered.status !== 201 || typeof token !== 'string')
    throw new Error(`could not sign up (${registered.status}, ${login.status}): ${login.text.slice(0, 200)}`);
  return token;
}

export async function runImports(options: ImportsOptions) {
  const recorder = new Recorder(IMPORTS_CHECKS);
  const setup = new Recorder();
  const client = new LoadClient(options.baseUrl, options.others + 1, recorder);
  const importer = await signUp(client, setup);
  const others = await Promise.all(Array.from({ length: options.others }, () => signUp(client, setup)));
  let phase: 'before' | 'during' | 'ended' = 'before';
  const other = async (token: string) => {
    while (phase !== 'ended') {
      await client.request(
        'GET',
        '/api/v1/users/me',
        phase === 'before' ? 'Get Me (before the import)' : 'Get Me (during the import)',
        undefined,
        token,
      );
      // The other people's pace, not a wait for a state.
      await sleep(options.paceMs);
    }
  };
  const load = Promise.all(others.map(other));
  // The baseline's length, as the other people's requests go on.
  await sleep(options.baselineSeconds * 1000);
  phase = 'during';
  const bytes = (await stat(options.file)).size;
  // The upload on a connection of its own, its body streamed from the file.
  const uploads = new Pool(options.baseUrl.origin, { connections: 1, headersTimeout: 600_000, bodyTimeout: 600_000 });

  recorder.measuredFrom = Date.now();
  const started = performance.now();
  const response = await uploads.request({
    method: 'POST',
    path: '/api/v1/users/me/imports',
    headers: { authorization: `Bearer ${importer}`, 'content-type': mediaTypeOf(options.file), 'content-length': String(bytes) },
    body: createReadStream(options.file),
  });
  const accepted = JSON.parse(await response.body.text()) as { id?: string };
  const uploadSeconds = (performance.now() - started) / 1000;
  await uploads.close();
  recorder.check('upload status is 202', response.statusCode === 202);
  if (response.statusCode !== 202 || typeof accepted.id !== 'string') {
    phase = 'ended';
    await load;
    await client.close();
    throw new Error(`the upload was answered ${response.statusCode}: ${JSON.stringify(accepted).slice(0, 300)}`);
  }

  let job: { status?: string; progress?: number; format?: string; error?: unknown; report?: Record<string, unknown> } = {};
  while (phase !== 'ended') {
    // Polling at a person's pace.
    await sleep(250);
    const reply = await client.request('GET', `/api/v1/users/me/imports/${accepted.id}`, 'Poll Import', undefined, importer);
    job = (reply.json ?? {}) as typeof job;
    if (job.status !== 'running') phase = 'ended';
  }
  const wallSeconds = (performance.now() - started) / 1000;
  await load;
  await client.close();
  recorder.check('import is done', job.status === 'done');
  return { recorder, setup, seconds: wallSeconds, bytes, uploadSeconds, job };
}
