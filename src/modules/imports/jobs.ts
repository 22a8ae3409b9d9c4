/**
 * The import jobs of this process (docs/DESIGN.md, 'Imports'). A job runs where its file was
 * uploaded, since the file is there; its state is in the `imports` row, which any instance answers
 * from. Jobs take turns as the weigh-in imports do (tracking/importQueue.ts): at most IMPORTS_AT_ONCE
 * run, IMPORTS_WAITING more wait (an upload being received holds a place too), and past that an
 * import is refused at once with 503 and Retry-After; this bounds the memory and the spool space
 * imports take. While a job runs or waits it moves its row's heartbeat every few seconds; a running
 * row whose heartbeat stopped belongs to a process that stopped without finishing it, and is marked
 * failed (`interrupted`) by the sweep every instance makes at start and every IMPORT_STALE_SECONDS.
 * A process that stops gracefully marks its own jobs so at once.
 */
import type { FastifyBaseLogger } from 'fastify';
import pLimit from 'p-limit';
import type { AppContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { dayOf } from '../tracking/service.ts';
import { currentUser } from '../users/service.ts';
import { type FormatReader, type ImportFile, ImportRefused, type WeightUnit } from './formats/types.ts';
import { emptyReport } from './report.ts';
import { failStaleImports, finishImport, heartbeat, saveProgress } from './repository.ts';
import type { ImportReportWire } from './schemas.ts';
import { removeAbandonedFiles, removeSpooled, touchSpooled } from './spool.ts';
import { ImportGone, storeDays } from './store.ts';

/**
 * Two at once, as the weigh-in imports: a small file need not wait for a big one. Reading is most
 * of a job's work and yields to the event loop as it goes (formats/types.ts, ReadOptions).
 */
const IMPORTS_AT_ONCE = 2;
const IMPORTS_WAITING = 8;
/** The share of the progress reading the file stands for; storing the days is the rest. */
const READ_SHARE = 0.9;
/** How often a job's row is brought up to date while it runs: its progress, when it moved. */
const PROGRESS_EVERY_MS = 1000;

const INTERRUPTED = { code: 'interrupted', message: 'The service stopped during the import; import the file again' };
const FAILED = {
  code: 'import_failed',
  message: 'The import failed; the days its report counts are stored, the rest are not: import the file again',
};

interface ImportJob {
  id: string;
  userId: string;
  file: ImportFile;
  reader: FormatReader;
  dryRun: boolean;
  onConflict: 'keep' | 'replace';
  weightUnit: WeightUnit | undefined;
}

/** A place among the imports of this process, held from the upload's start until its job ends. */
export interface ImportPlace {
  /** Runs the job in this place (in its turn); from then the job owns its file and removes it when it ends. */
  start(job: ImportJob): void;
  /** Gives the place back unused. */
  release(): void;
}

export interface ImportJobs {
  /** A place for an upload about to be received; `imports_busy` (503) when none is free. */
  reserve(): ImportPlace;
  /** Creates the spool folder and sweeps now, then every IMPORT_STALE_SECONDS. */
  start(): Promise<void>;
  /** Interrupts the jobs running and waiting (their rows marked failed, interrupted) and waits until they have stopped. */
  stop(): Promise<void>;
}

class Interrupted extends Error {
  override name = 'Interrupted';
}

const busy = () =>
  new AppError('unavailable', 'imports_busy', 'Too many imports are in progress; retry shortly', { retryAfterSeconds: 30 });

/** The progress as the row keeps it (numeric(4,3)), never 1 before the job is done. */
const stored = (progress: number) => Math.min(0.999, Math.floor(Math.max(0, progress) * 1000) / 1000);
const progressOf = (report: ImportReportWire) =>
  READ_SHARE + (1 - READ_SHARE) * (report.days_total === 0 ? 1 : report.days_done / report.days_total);

export function createImportJobs(ctx: AppContext, log: FastifyBaseLogger): ImportJobs {
  const { spoolDir, staleAfterMs } = ctx.config.imports;
  // Several heartbeats within the time after which a job counts as stopped.
  const heartbeatMs = staleAfterMs / 6;
  const limit = pLimit(IMPORTS_AT_ONCE);
  let reserved = 0;
  let stopping = false;
  let sweeper: NodeJS.Timeout | undefined;
  const live = new Map<string, { controller: AbortController; ended: Promise<void> }>();

  async function run(job: ImportJob, signal: AbortSignal, state: { progress: number; report: ImportReportWire }) {
    signal.throwIfAborted();
    const user = await currentUser(ctx, job.userId);
    const parsed = await job.reader.read(job.file, {
      weightUnit: job.weightUnit,
      signal,
      onProgress: (fraction) => {
        state.progress = READ_SHARE * Math.min(1, Math.max(0, fraction));
      },
    });
    // Read: the file is not needed any more, and its space is given back before the days are stored.
    await removeFile(job);
    const tomorrow = dayOf(new Date(ctx.now().getTime() + 86_400_000));
    const report = await storeDays(
      ctx.db,
      parsed,
      {
        userId: job.userId,
        dateOfBirth: user.dateOfBirth,
        latestDay: tomorrow,
        onConflict: job.onConflict,
        dryRun: job.dryRun,
        signal,
        save: (db, next) => saveProgress(db, job.id, stored(progressOf(next)), next),
      },
      (next) => {
        state.report = next;
        state.progress = progressOf(next);
      },
    );
    // Read-your-writes with replicas (src/db/replicas.ts): once the job is done, its days are there to read.
    if (!job.dryRun) await ctx.reads.wrote(job.userId);
    await finishImport(ctx.db, job.id, { status: 'done', progress: 1, error: null, report });
  }

  const removeFile = (job: ImportJob) =>
    removeSpooled(job.file.path).catch((error: unknown) =>
      log.warn({ err: error, file: job.file.path }, "could not remove an import's file"),
    );

  async function fail(job: ImportJob, error: unknown, signal: AbortSignal, state: { progress: number; report: ImportReportWire }) {
    // Before the row says the job ended, as when it is done.
    await removeFile(job);
    if (error instanceof ImportGone || signal.reason instanceof ImportGone) {
      log.info({ importId: job.id }, 'import stopped: it is no longer running (marked failed elsewhere, or its person was deleted)');
      return;
    }
    let failure = FAILED;
    if (signal.reason instanceof Interrupted) failure = INTERRUPTED;
    else if (error instanceof ImportRefused) failure = { code: error.code, message: error.message };
    else log.error({ err: error, importId: job.id }, 'import failed');
    await finishImport(ctx.db, job.id, { status: 'failed', progress: stored(state.progress), error: failure, report: state.report }).catch(
      (cause: unknown) => log.error({ err: cause, importId: job.id }, 'could not record that an import failed'),
    );
  }

  function launch(job: ImportJob) {
    const controller = new AbortController();
    const state = { progress: 0, report: emptyReport() };
    let written = { progress: 0, at: Date.now() };
    let beating = false;
    const beat = async (now = false) => {
      if (beating || (!now && state.progress === written.progress && Date.now() - written.at < heartbeatMs)) return;
      beating = true;
      const progress = stored(state.progress);
      try {
        if (await heartbeat(ctx.db, job.id, progress)) written = { progress: state.progress, at: Date.now() };
        else controller.abort(new ImportGone('The import is no longer running'));
        await touchSpooled(job.file.path);
      } catch (error) {
        log.warn({ err: error, importId: job.id }, "could not record an import's heartbeat");
      } finally {
        beating = false;
      }
    };
    const timer = setInterval(() => void beat(), Math.min(PROGRESS_EVERY_MS, heartbeatMs));
    // Its turn has come: a first heartbeat says so (and finds out at once whether the job is still wanted).
    const ended = limit(async () => {
      await beat(true);
      return run(job, controller.signal, state);
    })
      .catch((error: unknown) => fail(job, error, controller.signal, state))
      .finally(() => {
        clearInterval(timer);
        live.delete(job.id);
      });
    live.set(job.id, { controller, ended });
  }

  async function failStale() {
    try {
      const interrupted = await failStaleImports(ctx.db, staleAfterMs, INTERRUPTED);
      if (interrupted.length > 0) log.warn({ imports: interrupted }, 'imports whose instance stopped were marked failed (interrupted)');
    } catch (error) {
      log.warn({ err: error }, 'could not look for interrupted imports');
    }
  }

  async function clearSpool() {
    const removed = await removeAbandonedFiles(spoolDir, staleAfterMs);
    if (removed > 0) log.info({ removed, spoolDir }, 'removed import files left by a stopped process');
  }

  return {
    reserve() {
      if (stopping || limit.activeCount + limit.pendingCount + reserved >= IMPORTS_AT_ONCE + IMPORTS_WAITING) throw busy();
      reserved++;
      let held = true;
      const giveBack = () => {
        if (!held) return false;
        held = false;
        reserved--;
        return true;
      };
      return {
        start(job) {
          if (!giveBack()) throw new Error('an import place was used twice');
          launch(job);
        },
        release() {
          giveBack();
        },
      };
    },
    async start() {
      // A spool folder that cannot be made stops the start, as a bad setting does.
      await clearSpool();
      await failStale();
      sweeper = setInterval(() => {
        void failStale();
        void clearSpool().catch((error: unknown) => log.warn({ err: error, spoolDir }, 'could not clear the import spool'));
      }, staleAfterMs);
      sweeper.unref();
    },
    async stop() {
      stopping = true;
      clearInterval(sweeper);
      const jobs = [...live.values()];
      for (const { controller } of jobs) controller.abort(new Interrupted('The service is stopping'));
      await Promise.all(jobs.map(({ ended }) => ended));
    },
  };
}
