/**
 * Backups the service writes itself into BACKUP_DIR (docs/DEPLOY.md, 'Scheduled backups'). The folder
 * is the schedule's memory: the newest file's name says when the last backup was taken, by this
 * instance before a restart or by another instance sharing the folder, so a restart or a second
 * instance does not write one more within the interval. The writer is given: it writes one file
 * atomically, and answers null when another instance holds the backup lock and writes it instead.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BackupStatus, ScheduledBackups } from '../core/context.ts';
import { removeFilesUnchangedSince } from '../infra/files.ts';
import { backupFileName } from './backup/write.ts';

export type BackupWriter = (file: string) => Promise<{ bytes: number } | null>;

interface ScheduleLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface BackupScheduleOptions {
  dir: string;
  everyMs: number;
  /** How many of the schedule's own files to keep; the oldest beyond are removed after each success. */
  keep: number;
  write: BackupWriter;
  logger: ScheduleLogger;
  now?: () => Date;
}

export interface BackupSchedule extends ScheduledBackups {
  /** Stops the schedule; resolves once a backup under way has finished (it is not abandoned). */
  stop(): Promise<void>;
}

/** `recomp-20260107T030000Z.ndjson.gz`: the UTC time the backup was started, to the second. */
const OWN_FILE = /^recomp-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.ndjson\.gz$/;
/** The writer's temporary name for one of them (`.<name>.partial-<pid>`). */
const PARTIAL_FILE = /^\.recomp-\d{8}T\d{6}Z\.ndjson\.gz\.partial-/;
/**
 * A temporary file not written to for this long was left by a writer that was killed. A younger one
 * may be another instance's backup under way (instances sharing the folder), so it is left alone.
 */
const LEFTOVER_AFTER_MS = 10 * 60_000;
/** After a failure, or while another instance holds the lock, look again this soon (or at the interval, if shorter). */
const RETRY_MS = 5 * 60_000;
/** setTimeout's longest delay; a longer wait wakes early and looks at the folder again. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function takenAt(name: string): Date | null {
  const match = OWN_FILE.exec(name);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return new Date(Date.UTC(year!, month! - 1, day, hour, minute, second));
}

/** The schedule's own files in `dir`, newest first. */
async function ownBackups(dir: string): Promise<{ name: string; at: Date }[]> {
  const found = (await readdir(dir)).flatMap((name) => {
    const at = takenAt(name);
    return at ? [{ name, at }] : [];
  });
  return found.sort((a, b) => b.at.getTime() - a.at.getTime());
}

export function startBackupSchedule(options: BackupScheduleOptions): BackupSchedule {
  const { dir, everyMs, keep, write, logger } = options;
  const now = options.now ?? (() => new Date());
  const status: BackupStatus = { lastSuccessAt: null, lastError: null, nextDueAt: null, failures: 0, lastDurationSeconds: null };
  let timer: NodeJS.Timeout | null = null;
  let cycle: Promise<void> | null = null;
  let stopped = false;

  const wakeAt = (at: Date) => {
    status.nextDueAt = at;
    if (stopped) return;
    timer = setTimeout(wake, Math.min(Math.max(at.getTime() - now().getTime(), 0), MAX_TIMER_MS)).unref();
  };

  function wake() {
    timer = null;
    // One cycle at a time: the next timer is set only when this one has finished.
    cycle = runCycle()
      .then(wakeAt)
      .finally(() => {
        cycle = null;
      });
  }

  async function removeLeftovers() {
    for (const file of await removeFilesUnchangedSince(dir, (name) => PARTIAL_FILE.test(name), now().getTime() - LEFTOVER_AFTER_MS))
      logger.info({ file }, 'removed a backup file left unfinished by a stopped writer');
  }

  async function prune() {
    for (const { name } of (await ownBackups(dir)).slice(keep)) {
      await rm(path.join(dir, name), { force: true });
      logger.info({ file: path.join(dir, name), keep }, 'removed an old backup');
    }
  }

  /** Looks at the folder, backs up when due, and answers when to look again. */
  async function runCycle(): Promise<Date> {
    const startedAt = now();
    const retryAt = new Date(startedAt.getTime() + Math.min(everyMs, RETRY_MS));
    let attempted = false;
    try {
      await mkdir(dir, { recursive: true });
      await removeLeftovers();
      const newest = (await ownBackups(dir))[0];
      if (newest) status.lastSuccessAt = newest.at;
      const dueAt = newest ? new Date(newest.at.getTime() + everyMs) : startedAt;
      if (dueAt > startedAt) return dueAt;

      attempted = true;
      const file = path.join(dir, backupFileName(startedAt));
      const written = await write(file);
      status.lastDurationSeconds = (now().getTime() - startedAt.getTime()) / 1000;
      if (written === null) {
        logger.info({ dir }, 'another instance is writing the scheduled backup');
        return retryAt;
      }
      status.lastSuccessAt = takenAt(path.basename(file));
      status.lastError = null;
      logger.info({ file, bytes: written.bytes, durationMs: Math.round(status.lastDurationSeconds * 1000) }, 'backup written');
      await prune().catch((error: Error) => logger.warn({ err: error, dir }, `could not remove old backups: ${error.message}`));
      return new Date(status.lastSuccessAt!.getTime() + everyMs);
    } catch (error) {
      if (attempted) status.lastDurationSeconds = (now().getTime() - startedAt.getTime()) / 1000;
      status.failures += 1;
      status.lastError = { at: startedAt, message: (error as Error).message };
      logger.error({ err: error, dir }, `scheduled backup failed: ${(error as Error).message}`);
      return retryAt;
    }
  }

  wake();
  return {
    status: () => ({ ...status }),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await cycle;
    },
  };
}
