/** The dashboard's Today card without a browser (web/src/todayEntries.ts): the placeholder, the reading of what is typed, the saves. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Intake, IntakeList, WeightSeries } from '../src/api/types.ts';
import type { EntryRequest, QueuedEntry } from '../src/offline/entries.ts';

const queries = vi.hoisted(() => ({
  getWeights: vi.fn(),
  getIntake: vi.fn(),
}));
vi.mock('../src/api/queries.ts', () => queries);
// The device's queue (web/test/offline.test.ts tests it): here only what the card hands it and makes of its answer.
const queue = vi.hoisted(() => ({
  submit: vi.fn(async (): Promise<{ status: 'sent'; answer: unknown } | { status: 'queued' }> => ({ status: 'sent', answer: {} })),
}));
vi.mock('../src/offline/queue.ts', () => queue);

const { loadToday, placeholderTrendKg, queuedToday, readCalories, readWeight, submitTodayEntry, todayLog, weightText } = await import(
  '../src/todayEntries.ts'
);

type Day = WeightSeries['weights'][number];
const day = (date: string, weightKg: number | null, trendKg: number): Day => ({
  date,
  weight_kg: weightKg,
  source: weightKg === null ? null : 'manual',
  interpolated_kg: weightKg ?? trendKg,
  trend_weight_kg: trendKg,
});
const series = (...weights: Day[]) => ({ from: '2026-11-01', to: '2026-12-07', weekly_rate_kg: null, weights }) as WeightSeries;
const intake = (date: string, fields: Partial<Intake> = {}): Intake => ({
  date,
  calories: 1850,
  protein_g: null,
  carbs_g: null,
  fat_g: null,
  complete: true,
  source: 'manual',
  updated_at: `${date}T08:00:00Z`,
  ...fields,
});

beforeEach(() => vi.clearAllMocks());

describe('the placeholder of Today’s weight', () => {
  it('is yesterday’s trend weight, not today’s or the day before’s', () => {
    const weights = series(day('2026-12-05', 73, 72.9), day('2026-12-06', 72.6, 72.8), day('2026-12-07', 72.1, 72.7));
    expect(placeholderTrendKg(weights, '2026-12-07')).toBe(72.8);
  });

  it('is the latest trend point before today when yesterday has none', () => {
    expect(placeholderTrendKg(series(day('2026-12-01', 80, 80.2), day('2026-12-02', 79.6, 80.1)), '2026-12-07')).toBe(80.1);
  });

  it('is absent without any weight before today', () => {
    expect(placeholderTrendKg(series(), '2026-12-07')).toBeNull();
    expect(placeholderTrendKg(series(day('2026-12-07', 72, 72)), '2026-12-07')).toBeNull();
  });

  it('is shown in the person’s units to a tenth', () => {
    expect(weightText(72.84, 'metric')).toBe('72.8');
    expect(weightText(72.57, 'imperial')).toBe('160.0');
  });
});

describe('today as the card shows it', () => {
  it('has today’s weight and intake, and yesterday’s trend', () => {
    const log = todayLog('2026-12-07', series(day('2026-12-06', 72.6, 72.8), day('2026-12-07', 72.1, 72.7)), {
      intake: [intake('2026-12-07', { protein_g: 120 })],
    } as IntakeList);
    expect(log).toEqual({ date: '2026-12-07', trendKg: 72.8, weightKg: 72.1, intake: intake('2026-12-07', { protein_g: 120 }) });
  });

  it('has no weight on a day the trend only fills in, and no intake before one is logged', () => {
    const log = todayLog('2026-12-06', series(day('2026-12-05', 73, 73), day('2026-12-06', null, 72.9)), {
      intake: [],
    } as unknown as IntakeList);
    expect(log).toEqual({ date: '2026-12-06', trendKg: 73, weightKg: null, intake: null });
  });

  it('reads a month of weights and the intake from today on, open-ended so the device can answer them offline', async () => {
    queries.getWeights.mockResolvedValue(series(day('2026-12-06', 72.6, 72.8)));
    queries.getIntake.mockResolvedValue({ from: '2026-12-07', to: '2026-12-07', intake: [] });
    expect(await loadToday('2026-12-07')).toMatchObject({ date: '2026-12-07', trendKg: 72.8, weightKg: null, intake: null });
    expect(queries.getWeights).toHaveBeenCalledWith('2026-11-07');
    expect(queries.getIntake).toHaveBeenCalledWith('2026-12-07');
  });
});

describe('what is typed', () => {
  it('is a weight in kilograms, from kilograms or pounds, with a comma or a point', () => {
    expect(readWeight(' 72,4 ', 'metric')).toEqual({ weightKg: 72.4 });
    expect(readWeight('160', 'imperial')).toEqual({ weightKg: 72.57 });
  });

  it('asks again for an empty or unreadable weight; the range is left to the API', () => {
    expect(readWeight('', 'metric')).toEqual({ error: 'Enter your weight.' });
    expect(readWeight('72.4kg', 'metric')).toEqual({ error: 'Enter a number, like 72.4.' });
    expect(readWeight('5', 'metric')).toEqual({ weightKg: 5 });
  });

  it('is whole calories', () => {
    expect(readCalories('1850.4')).toEqual({ calories: 1850 });
    expect(readCalories(' ')).toEqual({ error: 'Enter the calories you ate today.' });
    expect(readCalories('lots')).toEqual({ error: 'Enter a number, like 1850.' });
  });
});

describe('a save', () => {
  it('queues the day’s weigh-in and answers saved when it was sent', async () => {
    expect(await submitTodayEntry({ kind: 'weigh-in', date: '2026-12-07', weightKg: 72.4 })).toBe('saved');
    expect(queue.submit).toHaveBeenCalledWith({ kind: 'weighIn', date: '2026-12-07', weight_kg: 72.4 });
  });

  it('queues the day’s calories alone, so the day is a complete one without macros', async () => {
    expect(await submitTodayEntry({ kind: 'intake', date: '2026-12-07', calories: 1850 })).toBe('saved');
    expect(queue.submit).toHaveBeenCalledWith({ kind: 'intake', date: '2026-12-07', body: { calories: 1850 } });
  });

  it('answers queued when the entry waits on the device', async () => {
    queue.submit.mockResolvedValueOnce({ status: 'queued' });
    expect(await submitTodayEntry({ kind: 'weigh-in', date: '2026-12-07', weightKg: 72.4 })).toBe('queued');
  });

  it('passes a refusal on to the card', async () => {
    queue.submit.mockRejectedValueOnce(new Error('refused'));
    await expect(submitTodayEntry({ kind: 'weigh-in', date: '2026-12-07', weightKg: 5 })).rejects.toThrow('refused');
  });
});

describe('what waits in the queue for today', () => {
  const entry = (request: EntryRequest, refused = false): QueuedEntry => ({
    request,
    queuedAt: 0,
    refused: refused ? { status: 422, detail: 'Must be at least 30 kg.' } : null,
  });
  it('is the latest entry of that kind for today, refused or not', () => {
    const entries = [
      entry({ kind: 'weighIn', date: '2026-12-07', weight_kg: 72.4 }),
      entry({ kind: 'weighIn', date: '2026-12-06', weight_kg: 72.9 }),
      entry({ kind: 'intake', date: '2026-12-07', body: { calories: 2100 } }, true),
    ];
    expect(queuedToday(entries, 'weigh-in', '2026-12-07')).toEqual({ value: 72.4, refused: false });
    expect(queuedToday(entries, 'intake', '2026-12-07')).toEqual({ value: 2100, refused: true });
    expect(queuedToday(entries, 'weigh-in', '2026-12-08')).toBeNull();
  });
});
