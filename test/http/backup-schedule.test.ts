/**
 * Scheduled backups (docs/DEPLOY.md, 'Scheduled backups'): src/admin/schedule.ts with a short interval
 * in a temporary folder, and its state in /health/ready and /metrics. The writer here is the test's
 * own (a few bytes under the given name), standing for the backup task's: what is tested is when
 * the schedule writes, what it names, keeps and removes, and what it reports.
 */
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type BackupSchedule, type BackupScheduleOptions, type BackupWriter, startBackupSchedule } from '../../src/admin/schedule.ts';
import { createTestApp } from '../helpers/app.ts';

const OWN_NAME = /^recomp-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.ndjson\.gz$/;

const dirs: string[] = [];
const schedules: BackupSchedule[] = [];
afterAll(async () => {
  await Promise.all(schedules.map((schedule) => schedule.stop()));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'recomp-schedule-'));
  dirs.push(dir);
  return dir;
}

/** The time a backup's name gives. */
function stampOf(file: string): number {
  const [, ...parts] = OWN_NAME.exec(path.basename(file))!.map(Number) as number[];
  const [year, month, day, hour, minute, second] = parts as [number, number, number, number, number, number];
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Log lines by level, as the service's logger would write them. */
function recordingLogger() {
  const lines: { level: string; message: string; details: object }[] = [];
  const at = (level: string) => (details: object, message: string) => lines.push({ level, message, details });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** A writer that writes a few bytes under the name given, and remembers every name it wrote. */
function recordingWriter() {
  const written: string[] = [];
  const write: BackupWriter = async (file) => {
    await writeFile(file, 'backup');
    written.push(file);
    return { bytes: 6 };
  };
  return { written, write };
}

function start(options: Partial<BackupScheduleOptions> & Pick<BackupScheduleOptions, 'dir' | 'write'>) {
  const logger = recordingLogger();
  const schedule = startBackupSchedule({ everyMs: 3_600_000, keep: 14, logger, ...options });
  schedules.push(schedule);
  return { schedule, logger };
}

const ownFiles = async (dir: string) => (await readdir(dir)).filter((name) => OWN_NAME.test(name)).sort();

describe('scheduled backups', () => {
  it('writes backups named by their UTC time, one an interval, and keeps only the newest BACKUP_KEEP of them', async () => {
    const dir = path.join(await tempDir(), 'not-yet-made');
    const writer = recordingWriter();
    const before = Date.now();
    const { schedule, logger } = start({ dir, write: writer.write, everyMs: 1000, keep: 2 });
    await vi.waitFor(() => expect(writer.written.length).toBeGreaterThanOrEqual(3), { timeout: 15_000, interval: 100 });
    await schedule.stop();
    const after = Date.now();

    const names = writer.written.map((file) => path.basename(file));
    for (const name of names) expect(name).toMatch(OWN_NAME);
    const stamps = writer.written.map(stampOf);
    expect(stamps[0]).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(stamps.at(-1)).toBeLessThanOrEqual(after);
    // One an interval: each a second or more after the one before.
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! - stamps[i - 1]!).toBeGreaterThanOrEqual(1000);
    // The newest two stay; the older ones were removed, each with a log line.
    expect(await ownFiles(dir)).toEqual(names.slice(-2));
    expect(logger.lines.filter((line) => line.message === 'backup written')).toHaveLength(names.length);
    expect(logger.lines.filter((line) => line.message === 'removed an old backup')).toHaveLength(names.length - 2);
    expect(schedule.status()).toMatchObject({ lastSuccessAt: new Date(stamps.at(-1)!), lastError: null, failures: 0 });
  });

  it('prunes only its own file names, and counts the folder’s backups from before a restart', async () => {
    const dir = await tempDir();
    const old = ['recomp-20200101T000000Z.ndjson.gz', 'recomp-20200102T000000Z.ndjson.gz', 'recomp-20200103T000000Z.ndjson.gz'];
    const others = ['notes.txt', 'recomp-pre-upgrade-0006.ndjson.gz', 'recomp-20200101T000000Z.ndjson.gz.copy'];
    for (const name of [...old, ...others]) await writeFile(path.join(dir, name), 'kept by someone');
    const writer = recordingWriter();
    const { schedule } = start({ dir, write: writer.write, keep: 2 });
    // The newest in the folder is years old: one is due at once.
    await vi.waitFor(() => expect(writer.written).toHaveLength(1), { timeout: 10_000, interval: 50 });
    await schedule.stop();
    expect(await ownFiles(dir)).toEqual([old[2], path.basename(writer.written[0]!)]);
    for (const name of others) expect(await readdir(dir)).toContain(name);
  });

  it('writes nothing while the newest backup in the folder is younger than the interval, and says when it is due', async () => {
    const dir = await tempDir();
    const newest = new Date(Math.floor(Date.now() / 1000) * 1000);
    const name = `recomp-${newest.toISOString().replace(/[-:]/g, '').replace('.000', '')}.ndjson.gz`;
    await writeFile(path.join(dir, name), 'taken before a restart');
    const write = vi.fn<BackupWriter>();
    const { schedule } = start({ dir, write });
    await vi.waitFor(() => expect(schedule.status().nextDueAt).not.toBeNull(), { timeout: 10_000, interval: 50 });
    expect(schedule.status()).toMatchObject({ lastSuccessAt: newest, nextDueAt: new Date(newest.getTime() + 3_600_000) });
    expect(write).not.toHaveBeenCalled();
  });

  it('removes at start the temporary files a killed writer left, and not one another instance is writing', async () => {
    const dir = await tempDir();
    const leftover = path.join(dir, '.recomp-20200101T000000Z.ndjson.gz.partial-4242');
    const underWay = path.join(dir, '.recomp-20200102T000000Z.ndjson.gz.partial-777');
    const foreign = path.join(dir, '.notes.txt.partial-1');
    for (const file of [leftover, underWay, foreign]) await writeFile(file, 'half');
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const file of [leftover, foreign]) await utimes(file, hourAgo, hourAgo);
    const { logger } = start({ dir, write: recordingWriter().write });
    await vi.waitFor(async () => expect(await readdir(dir)).not.toContain(path.basename(leftover)), { timeout: 10_000, interval: 50 });
    expect(await readdir(dir)).toEqual(expect.arrayContaining([path.basename(underWay), path.basename(foreign)]));
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'info', details: { file: leftover } }));
  });

  it('logs and counts a failed backup, shows it in /health/ready and /metrics without being unready, and the next one succeeds', async () => {
    const dir = await tempDir();
    let calls = 0;
    let letSecondFinish!: () => void;
    const secondMayFinish = new Promise<void>((resolve) => {
      letSecondFinish = resolve;
    });
    const writer = recordingWriter();
    const write: BackupWriter = async (file) => {
      calls += 1;
      if (calls === 1) throw new Error('no space left on device');
      if (calls > 2) return null; // later ones: as if another instance wrote them, so the one written stays the newest
      await secondMayFinish;
      return writer.write(file);
    };
    const { schedule, logger } = start({ dir, write, everyMs: 1000 });
    const test = await createTestApp({ backups: schedule });
    try {
      await vi.waitFor(() => expect(calls).toBe(2), { timeout: 10_000, interval: 50 });
      const failedAt = schedule.status().lastError!.at.toISOString();
      expect(logger.lines).toContainEqual(
        expect.objectContaining({ level: 'error', message: 'scheduled backup failed: no space left on device' }),
      );

      const ready = await test.app.inject('/health/ready');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({
        status: 'ready',
        backups: { last_success_at: null, last_error: { at: failedAt, message: 'no space left on device' } },
      });
      const metrics = (await test.app.inject('/metrics')).body;
      expect(metrics).toMatch(/^recomp_backup_failures_total 1$/m);
      expect(metrics).toMatch(/^recomp_backup_last_success_timestamp_seconds 0$/m);
      expect(metrics).toMatch(/^recomp_backup_duration_seconds \d+(\.\d+)?(e-\d+)?$/m);

      letSecondFinish();
      await vi.waitFor(() => expect(writer.written).toHaveLength(1), { timeout: 10_000, interval: 50 });
      await vi.waitFor(async () => expect((await test.app.inject('/health/ready')).json().backups.last_error).toBeUndefined(), {
        timeout: 10_000,
        interval: 50,
      });
      const after = (await test.app.inject('/health/ready')).json();
      const lastSuccess = stampOf(writer.written[0]!);
      expect(after.backups.last_success_at).toBe(new Date(lastSuccess).toISOString());
      expect(Date.parse(after.backups.next_due_at)).toBeGreaterThan(lastSuccess);
      const metricsAfter = (await test.app.inject('/metrics')).body;
      expect(metricsAfter).toMatch(/^recomp_backup_failures_total 1$/m);
      expect(metricsAfter).toContain(`recomp_backup_last_success_timestamp_seconds ${lastSuccess / 1000}\n`);
    } finally {
      await schedule.stop();
      await test.close();
    }
  });

  it('with two instances sharing the folder and the writer’s lock, never writes two backups within one interval', async () => {
    const dir = await tempDir();
    const writer = recordingWriter();
    // The backup writer's lock (an advisory lock on the shared database): while one instance holds it, another gets null.
    let locked = false;
    const write: BackupWriter = async (file) => {
      if (locked) return null;
      locked = true;
      try {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return await writer.write(file);
      } finally {
        locked = false;
      }
    };
    const everyMs = 2000;
    const first = start({ dir, write, everyMs, keep: 100 });
    const second = start({ dir, write, everyMs, keep: 100 });
    await vi.waitFor(() => expect(writer.written.length).toBeGreaterThanOrEqual(4), { timeout: 30_000, interval: 100 });
    await Promise.all([first.schedule.stop(), second.schedule.stop()]);

    const stamps = writer.written.map(stampOf).sort((a, b) => a - b);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! - stamps[i - 1]!).toBeGreaterThanOrEqual(everyMs);
    expect(await ownFiles(dir)).toHaveLength(writer.written.length);
    // The one that found the lock taken said so, and did not count it as a failure.
    const skipped = [...first.logger.lines, ...second.logger.lines].filter((line) => line.message.startsWith('another instance'));
    expect(skipped.length).toBeGreaterThan(0);
    expect(first.schedule.status().failures + second.schedule.status().failures).toBe(0);
  });

  it('stops after the backup under way has finished, and starts no other', async () => {
    const dir = await tempDir();
    let finish!: () => void;
    const mayFinish = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const writer = recordingWriter();
    const write = vi.fn<BackupWriter>(async (file) => {
      await mayFinish;
      return writer.write(file);
    });
    const { schedule } = start({ dir, write, everyMs: 1000 });
    await vi.waitFor(() => expect(write).toHaveBeenCalledTimes(1), { timeout: 10_000, interval: 20 });
    let stopped = false;
    const stopping = schedule.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(await ownFiles(dir)).toEqual([path.basename(writer.written[0]!)]);
    expect(write).toHaveBeenCalledTimes(1);
  });

  it('counts a folder it cannot write in as a failed backup', async () => {
    const parent = await tempDir();
    const dir = path.join(parent, 'a-file');
    await writeFile(dir, 'not a folder');
    const { schedule, logger } = start({ dir, write: recordingWriter().write });
    await vi.waitFor(() => expect(schedule.status().failures).toBe(1), { timeout: 10_000, interval: 50 });
    expect(schedule.status().lastError?.message).toMatch(/EEXIST|ENOTDIR/);
    expect(logger.lines.some((line) => line.level === 'error')).toBe(true);
  });
});
