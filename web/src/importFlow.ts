/**
 * An import as the Import card (components/ImportCard.tsx) walks through it, without Preact: a file
 * is chosen, sent with `dry_run` (the upload's progress, then the job's, polled until it ends), its
 * report reviewed, then sent again to import it, or the whole dropped. The service's calls come in
 * as an ImportService, so web/test drives every step with fakes.
 */
import { ApiError } from './api/client.ts';
import { getImport, latestImport, startImport } from './api/queries.ts';
import type { ImportJob, ImportQuery, OnConflict } from './api/types.ts';

interface Sending {
  file: File;
  query: ImportQuery;
}

export type ImportState =
  | { step: 'choose' }
  | ({ step: 'uploading'; fraction: number } & Sending)
  /** The job runs. `file` is null for an import followed again after the card was left (resume). */
  | { step: 'reading'; file: File | null; query: ImportQuery; job: ImportJob }
  /** The dry run is done: its report, and the file to send again. */
  | { step: 'review'; file: File; job: ImportJob }
  | { step: 'done'; job: ImportJob }
  /** Refused (no known format, too large), failed, or no answer. `retry`: sending the same again may work. */
  | { step: 'failed'; file: File | null; query: ImportQuery; message: string; job: ImportJob | null; retry: boolean };

export interface ImportService {
  start(file: File, query: ImportQuery, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<ImportJob>;
  get(id: string, signal: AbortSignal): Promise<ImportJob>;
  /** The person's newest import, if any. */
  latest(signal: AbortSignal): Promise<ImportJob | null>;
  /** Resolves after `ms`; rejects with the signal's reason once it aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
}

/** Polls come quickly at first (a small file is done in a moment), then once a second. */
export const pollDelayMs = (polls: number) => Math.min(1000, 250 * 2 ** polls);
/** Polls in a row that got no answer (or a 429, 5xx) before the card says so. */
const MAX_MISSED_POLLS = 5;
/** The job's failures that sending the file again may get past (jobs.ts: the service stopped, an unexpected failure). */
const RETRIABLE_FAILURES = new Set(['interrupted', 'import_failed']);

/** Whether the same request may work later: no answer, a rate limit, or the service unavailable. */
const transient = (error: unknown) => error instanceof ApiError && (error.status === 0 || error.status === 429 || error.status >= 500);

const messageOf = (error: unknown) => (error instanceof ApiError ? error.message : 'Something went wrong. Please try again.');

export function waitMs(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const apiImports: ImportService = {
  start: (file, query, onProgress, signal) => startImport(file, query, { onProgress, signal }),
  get: getImport,
  latest: latestImport,
  wait: waitMs,
};

export class ImportFlow {
  private current: ImportState = { step: 'choose' };
  private controller = new AbortController();
  private disposed = false;

  constructor(
    private readonly service: ImportService,
    private readonly listener: (state: ImportState) => void,
  ) {}

  get state(): ImportState {
    return this.current;
  }

  /** A file chosen or dropped: its dry run starts, and whatever ran before is dropped. */
  choose(file: File): Promise<void> {
    return this.send({ file, query: { dry_run: true } });
  }

  /** From the review: the same file, imported. */
  confirm(onConflict: OnConflict): Promise<void> {
    if (this.current.step !== 'review') return Promise.resolve();
    return this.send({ file: this.current.file, query: { dry_run: false, on_conflict: onConflict } });
  }

  /** After a failure that may pass: a job whose polls went unanswered is followed again, else the same request is sent again. */
  retry(): Promise<void> {
    const state = this.current;
    if (state.step !== 'failed' || !state.retry) return Promise.resolve();
    if (state.job?.status === 'running') return this.follow(state.job, state.file, state.query, this.restart());
    return state.file === null ? Promise.resolve() : this.send({ file: state.file, query: state.query });
  }

  /**
   * Back to choosing a file: the upload is stopped and the job no longer followed. A job already
   * started goes on in the service (an import cannot be called back), and nothing is stored by a dry run.
   */
  cancel(): void {
    this.restart();
    this.set({ step: 'choose' }, this.controller.signal);
  }

  /** On arrival: an import still running (started before the card was left) is followed again. */
  async resume(): Promise<void> {
    if (this.current.step !== 'choose') return;
    const signal = this.restart();
    let job: ImportJob | null;
    try {
      job = await this.service.latest(signal);
    } catch {
      return; // Only a convenience: the card works as it would without it.
    }
    if (job?.status === 'running' && !job.dry_run) await this.follow(job, null, { dry_run: false, on_conflict: job.on_conflict }, signal);
  }

  /** The card is gone: no more requests, polls or changes. */
  dispose(): void {
    this.disposed = true;
    this.controller.abort();
  }

  private restart(): AbortSignal {
    this.controller.abort();
    this.controller = new AbortController();
    return this.controller.signal;
  }

  private set(state: ImportState, signal: AbortSignal): void {
    if (this.disposed || signal.aborted) return;
    this.current = state;
    this.listener(state);
  }

  private async send({ file, query }: Sending): Promise<void> {
    const signal = this.restart();
    this.set({ step: 'uploading', file, query, fraction: 0 }, signal);
    let job: ImportJob;
    try {
      job = await this.service.start(file, query, (fraction) => this.set({ step: 'uploading', file, query, fraction }, signal), signal);
    } catch (error) {
      this.set({ step: 'failed', file, query, message: messageOf(error), job: null, retry: transient(error) }, signal);
      return;
    }
    await this.follow(job, file, query, signal);
  }

  /**
   * Polls the job until it ends. A poll without an answer is tried again, a few times in a row; then
   * the card says so, and Try again follows the same job (it went on in the service).
   */
  private async follow(started: ImportJob, file: File | null, query: ImportQuery, signal: AbortSignal): Promise<void> {
    let job = started;
    let missed = 0;
    for (let polls = 0; job.status === 'running'; polls++) {
      this.set({ step: 'reading', file, query, job }, signal);
      try {
        await this.service.wait(pollDelayMs(polls), signal);
        job = await this.service.get(job.id, signal);
        missed = 0;
      } catch (error) {
        if (signal.aborted) return;
        if (!transient(error) || ++missed >= MAX_MISSED_POLLS) {
          this.set({ step: 'failed', file, query, message: messageOf(error), job, retry: transient(error) }, signal);
          return;
        }
      }
    }
    if (job.status === 'failed') {
      const message = job.error?.message ?? 'The import failed. Please try again.';
      this.set({ step: 'failed', file, query, message, job, retry: RETRIABLE_FAILURES.has(job.error?.code ?? '') }, signal);
    } else if (job.dry_run && file !== null) {
      this.set({ step: 'review', file, job }, signal);
    } else {
      this.set({ step: 'done', job }, signal);
    }
  }
}
