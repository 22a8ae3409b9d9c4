/**
 * The Import card's logic without a browser: the report in words, and the steps of an import
 * (importFlow.ts) driven through a fake service.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client.ts';
import { UNREACHABLE } from '../src/api/problem.ts';
import type { ImportJob, ImportQuery, ImportReport } from '../src/api/types.ts';
import { formatDate } from '../src/format.ts';
import { ImportFlow, type ImportService, type ImportState, pollDelayMs, waitMs } from '../src/importFlow.ts';
import {
  countsText,
  daysText,
  FORMAT_NAME,
  handEnteredDays,
  IMPORTED_APPS,
  reasonText,
  rejectedTotal,
  sizeText,
  weightUnitText,
} from '../src/imports.ts';

const days = (counts: Partial<ImportReport['weights']> = {}) => ({
  imported: 0,
  updated: 0,
  unchanged: 0,
  kept: 0,
  rejected: 0,
  ...counts,
});

function report(extra: Partial<ImportReport> = {}): ImportReport {
  return {
    weights: days(),
    intake: days(),
    first_date: null,
    last_date: null,
    rows_rejected: 0,
    rejected_rows: [],
    weight_unit: null,
    days_done: 0,
    days_total: 0,
    ...extra,
  };
}

function job(extra: Partial<ImportJob> = {}): ImportJob {
  return {
    id: 'job-1',
    status: 'running',
    format: 'myfitnesspal',
    progress: 0,
    error: null,
    report: report(),
    dry_run: true,
    on_conflict: 'keep',
    size_bytes: 4096,
    created_at: '2026-12-01T10:00:00Z',
    finished_at: null,
    ...extra,
  };
}

const READ = report({ intake: days({ imported: 15, kept: 1 }), first_date: '2026-11-16', last_date: '2026-12-01', days_total: 16 });

describe('the report in words', () => {
  it('names the formats and the apps whose exports are read', () => {
    expect(FORMAT_NAME.loseit).toBe('Lose It!');
    expect(IMPORTED_APPS).toBe('MyFitnessPal, Cronometer, Lose It! or Apple Health');
  });

  it('gives the days and their range', () => {
    expect(daysText(READ)).toBe(`16 days, ${formatDate('2026-11-16T12:00:00Z')} – ${formatDate('2026-12-01T12:00:00Z')}`);
    expect(daysText(report({ days_total: 1, first_date: '2026-11-16', last_date: '2026-11-16' }))).toBe(
      `1 day, ${formatDate('2026-11-16T12:00:00Z')}`,
    );
    expect(daysText(report())).toBe('No days');
  });

  it('says what happens to each kind of day, the days entered by hand kept or replaced as chosen', () => {
    expect(countsText(READ.intake)).toBe('15 new, 1 of yours kept');
    expect(countsText(READ.intake, 'replace')).toBe('15 new, 1 of yours replaced');
    expect(countsText(days({ imported: 2, updated: 3, unchanged: 4, rejected: 1 }))).toBe(
      '2 new, 3 updated, 4 already the same, 1 refused',
    );
    expect(countsText(days())).toBe('none');
    expect(handEnteredDays(report({ weights: days({ kept: 2 }), intake: days({ kept: 1 }) }))).toBe(3);
  });

  it("counts every row and day left out, and words the readers' codes", () => {
    expect(rejectedTotal(report({ rows_rejected: 3, weights: days({ rejected: 1 }), intake: days({ rejected: 2 }) }))).toBe(6);
    expect(reasonText('not_a_number')).toBe('not a number');
    expect(reasonText('ambiguous_date')).toBe('the date could be day/month or month/day');
    expect(reasonText('2026-13-01 is not a real date')).toBe('2026-13-01 is not a real date');
  });

  it('names the unit the weights were read in, only when the file has weights', () => {
    expect(weightUnitText(report({ weights: days({ imported: 3 }), weight_unit: 'lb' }))).toBe('Weights read in pounds.');
    expect(weightUnitText(report({ weights: days({ kept: 1 }), weight_unit: 'kg' }))).toBe('Weights read in kilograms.');
    expect(weightUnitText(report({ weight_unit: 'kg' }))).toBeNull();
  });

  it("gives a file's size in bytes, kB, MB or GB", () => {
    expect(sizeText(512)).toBe('512 bytes');
    expect(sizeText(4096)).toBe('4.1 kB');
    expect(sizeText(25_300_000)).toBe('25 MB');
    expect(sizeText(1_610_612_736)).toBe('1.6 GB');
  });
});

/** A fake service: each start and poll takes its answer from the test; waits resolve when the test says. */
function fakeService() {
  const started: { file: File; query: ImportQuery; signal: AbortSignal; progress: (fraction: number) => void }[] = [];
  const polled: string[] = [];
  const waits: { ms: number; signal: AbortSignal }[] = [];
  const answers: (ImportJob | Error)[] = [];
  let startAnswer: () => Promise<ImportJob> = async () => job();
  let latest: ImportJob | null = null;
  const service: ImportService = {
    async start(file, query, progress, signal) {
      started.push({ file, query, signal, progress });
      return startAnswer();
    },
    async get(id) {
      polled.push(id);
      const answer = answers.shift();
      if (!answer) throw new Error('no answer left for the poll');
      if (answer instanceof Error) throw answer;
      return answer;
    },
    async latest() {
      return latest;
    },
    async wait(ms, signal) {
      waits.push({ ms, signal });
      signal.throwIfAborted();
    },
  };
  return {
    service,
    started,
    polled,
    waits,
    answers,
    answerStart(answer: () => Promise<ImportJob>) {
      startAnswer = answer;
    },
    setLatest(value: ImportJob | null) {
      latest = value;
    },
  };
}

function flowOf(fake: ReturnType<typeof fakeService>) {
  const states: ImportState[] = [];
  const flow = new ImportFlow(fake.service, (state) => states.push(state));
  return { flow, states, steps: () => states.map((s) => s.step) };
}

const csv = () => new File(['Date,Meal,Calories\n'], 'Nutrition-Summary.csv', { type: 'text/csv' });

describe('an import, step by step', () => {
  it("sends the file as a dry run, shows the upload's progress, polls the job until it ends, then shows the report", async () => {
    const fake = fakeService();
    const { flow, states, steps } = flowOf(fake);
    const file = csv();
    let finish!: (job: ImportJob) => void;
    fake.answerStart(
      () =>
        new Promise((resolve) => {
          finish = resolve;
        }),
    );
    const done = flow.choose(file);
    fake.started[0]!.progress(0.4);
    fake.started[0]!.progress(1);
    expect(states.map((s) => (s.step === 'uploading' ? s.fraction : null))).toEqual([0, 0.4, 1]);
    expect(fake.started[0]!.query).toEqual({ dry_run: true });
    finish(job());
    fake.answers.push(job({ progress: 0.3 }), job({ progress: 0.9 }), job({ status: 'done', progress: 1, report: READ }));
    await done;
    expect(steps()).toEqual(['uploading', 'uploading', 'uploading', 'reading', 'reading', 'reading', 'review']);
    expect(states.flatMap((s) => (s.step === 'reading' ? [s.job.progress] : []))).toEqual([0, 0.3, 0.9]);
    expect(fake.waits.map((w) => w.ms)).toEqual([250, 500, 1000]);
    expect(fake.polled).toEqual(['job-1', 'job-1', 'job-1']);
    expect(flow.state).toMatchObject({ step: 'review', file, job: { report: READ } });
  });

  it('waits longer between polls as a job goes on, up to a second', () => {
    expect([0, 1, 2, 3, 10].map(pollDelayMs)).toEqual([250, 500, 1000, 1000, 1000]);
  });

  it('imports the same file from the review with the choice made, and ends done', async () => {
    const fake = fakeService();
    const { flow } = flowOf(fake);
    const file = csv();
    fake.answerStart(async () => job({ status: 'done', progress: 1, report: READ }));
    await flow.choose(file);
    fake.answerStart(async () => job({ id: 'job-2', dry_run: false, on_conflict: 'replace' }));
    fake.answers.push(job({ id: 'job-2', status: 'done', dry_run: false, on_conflict: 'replace', progress: 1, report: READ }));
    await flow.confirm('replace');
    expect(fake.started.map((s) => [s.file, s.query])).toEqual([
      [file, { dry_run: true }],
      [file, { dry_run: false, on_conflict: 'replace' }],
    ]);
    expect(flow.state).toMatchObject({ step: 'done', job: { id: 'job-2', dry_run: false } });
  });

  it("shows a refusal's message (a file in no known format, one too large), with nothing to try again", async () => {
    for (const [status, detail] of [
      [422, 'The file is in no format this service reads'],
      [413, 'The file is larger than the 1024 bytes an import takes'],
    ] as const) {
      const fake = fakeService();
      const { flow } = flowOf(fake);
      fake.answerStart(async () => {
        throw new ApiError({ status, detail });
      });
      await flow.choose(csv());
      expect(flow.state).toMatchObject({ step: 'failed', message: detail, job: null, retry: false });
      await flow.retry();
      expect(fake.started).toHaveLength(1);
    }
  });

  it('sends the file again after no answer came, and after a job that failed on the way', async () => {
    const fake = fakeService();
    const { flow } = flowOf(fake);
    fake.answerStart(async () => {
      throw new ApiError(UNREACHABLE);
    });
    await flow.choose(csv());
    expect(flow.state).toMatchObject({ step: 'failed', message: UNREACHABLE.detail, retry: true });
    fake.answerStart(async () => job({ status: 'failed', error: { code: 'import_failed', message: 'The import failed' } }));
    await flow.retry();
    expect(fake.started.map((s) => s.query)).toEqual([{ dry_run: true }, { dry_run: true }]);
    expect(flow.state).toMatchObject({ step: 'failed', message: 'The import failed', retry: true });
    fake.answerStart(async () => job({ status: 'failed', error: { code: 'unreadable_file', message: 'The file cannot be read' } }));
    await flow.retry();
    expect(flow.state).toMatchObject({ step: 'failed', message: 'The file cannot be read', retry: false });
  });

  it('polls again after a few unanswered polls; after five in a row it says so, and Try again follows the same job', async () => {
    const fake = fakeService();
    const { flow } = flowOf(fake);
    const lost = () => new ApiError(UNREACHABLE);
    fake.answers.push(lost(), lost(), job({ progress: 0.5 }), lost(), lost(), lost(), lost(), lost());
    await flow.choose(csv());
    expect(fake.polled).toHaveLength(8);
    expect(flow.state).toMatchObject({
      step: 'failed',
      message: UNREACHABLE.detail,
      retry: true,
      job: { status: 'running', progress: 0.5 },
    });
    fake.answers.push(job({ status: 'done', progress: 1, report: READ }));
    await flow.retry();
    expect(fake.started).toHaveLength(1);
    expect(flow.state.step).toBe('review');
  });

  it('stops at once on a poll refused otherwise (the import is not found)', async () => {
    const fake = fakeService();
    const { flow } = flowOf(fake);
    fake.answers.push(new ApiError({ status: 404, detail: 'Import not found' }));
    await flow.choose(csv());
    expect(flow.state).toMatchObject({ step: 'failed', message: 'Import not found', retry: false });
    expect(fake.polled).toHaveLength(1);
  });

  it('goes back to choosing a file on Cancel: the upload is stopped, and its late news changes nothing', async () => {
    const fake = fakeService();
    const { flow, steps } = flowOf(fake);
    let finish!: (job: ImportJob) => void;
    fake.answerStart(
      () =>
        new Promise((resolve) => {
          finish = resolve;
        }),
    );
    const sending = flow.choose(csv());
    flow.cancel();
    expect(fake.started[0]!.signal.aborted).toBe(true);
    fake.started[0]!.progress(0.8);
    finish(job({ status: 'done', report: READ }));
    await sending;
    expect(steps()).toEqual(['uploading', 'choose']);
    expect(fake.polled).toEqual([]);
  });

  it('stops polling when the card goes: the wait is aborted and nothing changes after', async () => {
    const fake = fakeService();
    const states: ImportState[] = [];
    // The card goes while the flow waits for its second poll.
    const flow: ImportFlow = new ImportFlow(
      {
        ...fake.service,
        async wait(ms, signal) {
          await fake.service.wait(ms, signal);
          if (fake.waits.length === 2) flow.dispose();
          signal.throwIfAborted();
        },
      },
      (state) => states.push(state),
    );
    fake.answers.push(job({ progress: 0.2 }), job({ status: 'done', report: READ }));
    await flow.choose(csv());
    expect(fake.polled).toEqual(['job-1']);
    expect(fake.waits[1]!.signal.aborted).toBe(true);
    expect(states.at(-1)).toMatchObject({ step: 'reading', job: { progress: 0.2 } });
  });

  it('follows again, on arrival, an import still running; not a dry run, nor one that ended', async () => {
    for (const [latest, followed] of [
      [job({ dry_run: false, on_conflict: 'replace' }), true],
      [job({ dry_run: true }), false],
      [job({ dry_run: false, status: 'done' }), false],
      [null, false],
    ] as const) {
      const fake = fakeService();
      const { flow, states } = flowOf(fake);
      fake.setLatest(latest);
      fake.answers.push(job({ status: 'done', dry_run: false, on_conflict: 'replace', report: READ }));
      await flow.resume();
      expect(states.map((s) => s.step)).toEqual(followed ? ['reading', 'done'] : []);
      if (followed) expect(states[0]).toMatchObject({ file: null, query: { dry_run: false, on_conflict: 'replace' } });
    }
  });
});

describe('waiting between polls', () => {
  it("resolves after the time, or rejects with the signal's reason once aborted", async () => {
    await expect(waitMs(1, new AbortController().signal)).resolves.toBeUndefined();
    const controller = new AbortController();
    const waiting = waitMs(60_000, controller.signal);
    const reason = new Error('the card went');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await expect(waitMs(1, controller.signal)).rejects.toBe(reason);
  });
});
