/**
 * The dashboard's Today card (docs/DESIGN.md, 'Daily logs'): what it shows for today, how it reads
 * what is typed, and the one function its saves go through. The helpers are pure; web/test checks them.
 */
import { getIntake, getWeights } from './api/queries.ts';
import type { Intake, IntakeList, WeightSeries } from './api/types.ts';
import { parseNumber } from './components/measurementForm.tsx';
import { todayValue } from './daily.ts';
import type { QueuedEntry } from './offline/entries.ts';
import { submit } from './offline/queue.ts';
import { toDisplay, toMetric, type Units } from './units.ts';

export type TodayEntry = { kind: 'weigh-in'; date: string; weightKg: number } | { kind: 'intake'; date: string; calories: number };
/** `queued`: kept on the device to send later; the card shows it as Waiting to sync. */
export type Submitted = 'saved' | 'queued';
export type SubmitEntry = (entry: TodayEntry) => Promise<Submitted>;

/**
 * Sends one of the card's entries through the device's queue (offline/queue.ts): `queued` when it
 * waits there to be sent. The intake is the day's calories alone: a PUT without `complete` logs the
 * whole day's total.
 */
export async function submitTodayEntry(entry: TodayEntry): Promise<Submitted> {
  const saved = await submit(
    entry.kind === 'weigh-in'
      ? { kind: 'weighIn', date: entry.date, weight_kg: entry.weightKg }
      : { kind: 'intake', date: entry.date, body: { calories: entry.calories } },
  );
  return saved.status === 'sent' ? 'saved' : 'queued';
}

/** Today's weight or calories waiting in the queue (or refused there), as the card shows them. */
export function queuedToday(entries: QueuedEntry[], kind: TodayEntry['kind'], today: string): { value: number; refused: boolean } | null {
  for (const { request, refused } of [...entries].reverse()) {
    if (request.kind === 'weighIn' && kind === 'weigh-in' && request.date === today)
      return { value: request.weight_kg, refused: refused !== null };
    if (request.kind === 'intake' && kind === 'intake' && request.date === today)
      return { value: request.body.calories, refused: refused !== null };
  }
  return null;
}

/** Today as the card shows it. */
export interface TodayLog {
  date: string;
  /** What the field suggests: yesterday's trend weight, else the latest before today; null without any. */
  trendKg: number | null;
  /** Today's weight (a weigh-in, or a measurement's), null before one. */
  weightKg: number | null;
  /** Today's intake; a logged day is shown, never replaced by the card. */
  intake: Intake | null;
}

/** The days of weights the card reads: the trend carries on from the last weigh-in, so a month is plenty. */
const WEIGHT_DAYS = 30;

const shiftDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The trend weight of the latest day before `today`: the series has every day from the first weigh-in to the last, so yesterday when it has one. */
export function placeholderTrendKg(series: WeightSeries, today: string): number | null {
  return series.weights.findLast((day) => day.date < today)?.trend_weight_kg ?? null;
}

export function todayLog(today: string, weights: WeightSeries, intake: IntakeList): TodayLog {
  return {
    date: today,
    trendKg: placeholderTrendKg(weights, today),
    weightKg: weights.weights.find((day) => day.date === today)?.weight_kg ?? null,
    intake: intake.intake.find((day) => day.date === today) ?? null,
  };
}

export async function loadToday(today = todayValue()): Promise<TodayLog> {
  // Open-ended ("from … on"): offline the next morning, the device answers them from yesterday's reads (offline/db.ts).
  const [weights, intake] = await Promise.all([getWeights(shiftDays(today, -WEIGHT_DAYS)), getIntake(today)]);
  return todayLog(today, weights, intake);
}

/** A weight in the person's units, as the field shows it: one decimal, like the scale. */
export const weightText = (weightKg: number, units: Units) => toDisplay('weight', weightKg, units).toFixed(1);

/** The field's text as kilograms for the API, or what to fix; the range is the API's to check. */
export function readWeight(text: string, units: Units): { weightKg: number } | { error: string } {
  if (text.trim() === '') return { error: 'Enter your weight.' };
  const value = parseNumber(text);
  return value === null ? { error: 'Enter a number, like 72.4.' } : { weightKg: toMetric('weight', value, units) };
}

/** The day's calories as the API takes them (whole kcal), or what to fix. */
export function readCalories(text: string): { calories: number } | { error: string } {
  if (text.trim() === '') return { error: 'Enter the calories you ate today.' };
  const value = parseNumber(text);
  return value === null ? { error: 'Enter a number, like 1850.' } : { calories: Math.round(value) };
}
