/**
 * Storing an import's days (docs/DESIGN.md, 'Imports'). Each day is first checked against the
 * person (not before their birth, not after tomorrow: the loggable-day rule of tracking/service.ts)
 * and the ranges the database keeps; then the days are compared with what is stored and written in
 * batches of whole days, each batch one transaction together with the report that counts it, so a
 * failed import leaves no half-written day and its report says how far it got. A dry run compares
 * and counts the same way and writes nothing.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isCalendarDate } from '../../core/schemas.ts';
import type { Database, Executor } from '../../db/client.ts';
import { type DayIntake, type DayWeight, LISTED_REJECTIONS, type ParsedImport } from './formats/types.ts';
import { type DayKind, emptyTally, rejectDay, reportOfFile, type Tally, type Verdict, withTally } from './report.ts';
import { type StoredIntake, type StoredWeight, storedDays, writeIntake, writeWeights } from './repository.ts';
import type { ImportReportWire } from './schemas.ts';

/**
 * Days per batch. As the weigh-in import's 1,000 rows a statement (tracking/service.ts): on PGlite,
 * which runs in this thread, a batch holds the event loop some tens of milliseconds; a few years
 * of history is a handful of batches.
 */
const BATCH_DAYS = 1000;

/** The ranges of daily_weights and daily_intake (src/db/schema.ts), as the API's. */
const RANGES = { weightKg: [30, 300], calories: [0, 15_000], proteinG: [0, 1000], carbsG: [0, 2000], fatG: [0, 1000] } as const;

export interface StoreOptions {
  userId: string;
  dateOfBirth: string;
  /** The last day that may be logged: tomorrow (UTC). */
  latestDay: string;
  onConflict: 'keep' | 'replace';
  dryRun: boolean;
  signal: AbortSignal;
  /**
   * Saves the report so far; in a write, inside the batch's transaction. False when the import is
   * no longer running (failed by a sweep, or its person deleted): the batch is then undone and the
   * storing stops.
   */
  save(db: Executor, report: ImportReportWire): Promise<boolean>;
}

/** The import is no longer running: nothing more is stored. */
export class ImportGone extends Error {
  override name = 'ImportGone';
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const grams = (value: number | null) => (value === null ? null : round(value, 1));
const outside = (value: number | null, [min, max]: readonly [number, number]) => value !== null && !(value >= min && value <= max);

/** Why the import refuses a day, or null. */
function refusal(day: string, options: StoreOptions): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !isCalendarDate(day)) return `${day} is not a real date`;
  if (day < options.dateOfBirth) return `${day} is before the date of birth`;
  if (day > options.latestDay) return `${day} is in the future`;
  return null;
}

function weightRefusal(weight: DayWeight, options: StoreOptions): string | null {
  return (
    refusal(weight.day, options) ??
    (outside(weight.weightKg, RANGES.weightKg)
      ? `the weight ${weight.weightKg} kg is outside ${RANGES.weightKg[0]}–${RANGES.weightKg[1]} kg`
      : null)
  );
}

function intakeRefusal(intake: DayIntake, options: StoreOptions): string | null {
  const day = refusal(intake.day, options);
  if (day !== null) return day;
  if (!Number.isInteger(intake.calories) || outside(intake.calories, RANGES.calories))
    return `${intake.calories} kcal is outside ${RANGES.calories[0]}–${RANGES.calories[1]}`;
  for (const [name, range] of [
    ['proteinG', RANGES.proteinG],
    ['carbsG', RANGES.carbsG],
    ['fatG', RANGES.fatG],
  ] as const) {
    if (outside(intake[name], range)) return `${intake[name]} g of ${name.replace('G', '')} is outside ${range[0]}–${range[1]} g`;
  }
  return null;
}

function verdictOf(stored: { source: 'manual' | 'import' } | undefined, same: boolean, onConflict: StoreOptions['onConflict']): Verdict {
  if (stored === undefined) return 'imported';
  if (same) return 'unchanged';
  return stored.source === 'import' || onConflict === 'replace' ? 'updated' : 'kept';
}

const sameIntake = (a: Omit<StoredIntake, 'source'>, b: StoredIntake) =>
  a.calories === b.calories && a.proteinG === b.proteinG && a.carbsG === b.carbsG && a.fatG === b.fatG && a.complete === b.complete;

/** One batch: compared with what is stored, written unless a dry run; its tally. */
async function storeBatch(
  db: Executor,
  options: StoreOptions,
  from: string,
  to: string,
  weights: StoredWeight[],
  intake: Omit<StoredIntake, 'source'>[],
): Promise<Tally> {
  const tally = emptyTally();
  const count = (kind: DayKind, verdict: Verdict) => {
    tally[kind][verdict]++;
    return verdict === 'imported' || verdict === 'updated';
  };
  const held = await storedDays(db, options.userId, from, to);
  const newWeights = weights.filter((w) => {
    const stored = held.weights.get(w.day);
    return count('weights', verdictOf(stored, stored?.weightKg === w.weightKg, options.onConflict));
  });
  const newIntake = intake.filter((i) => {
    const stored = held.intake.get(i.day);
    return count('intake', verdictOf(stored, stored !== undefined && sameIntake(i, stored), options.onConflict));
  });
  if (!options.dryRun) {
    const replace = options.onConflict === 'replace';
    await writeWeights(db, options.userId, newWeights, replace);
    await writeIntake(db, options.userId, newIntake, replace);
  }
  tally.days = new Set([...weights.map((w) => w.day), ...intake.map((i) => i.day)]).size;
  return tally;
}

/**
 * Stores the days of a file as `options` say. `onReport` hears of the report as it grows (the
 * job's progress); resolves with the final one.
 */
export async function storeDays(
  db: Database,
  parsed: ParsedImport,
  options: StoreOptions,
  onReport: (report: ImportReportWire) => void,
): Promise<ImportReportWire> {
  // Counted as they are found; of the rows, only the first the report lists are kept.
  const refused: [DayKind, { where: string; reason: string }][] = [];
  const refusedCounts: Record<DayKind, number> = { weights: 0, intake: 0 };
  const refuse = (kind: DayKind, row: { where: string; reason: string }) => {
    refusedCounts[kind]++;
    if (refused.length < LISTED_REJECTIONS) refused.push([kind, row]);
  };
  // A reader gives each day once (formats/types.ts); should one not, the first stands.
  const once = () => {
    const seen = new Set<string>();
    return (day: string) => (seen.has(day) ? `${day} is given twice` : (seen.add(day), null));
  };
  const firstWeight = once();
  const firstIntake = once();
  const weights: StoredWeight[] = [];
  for (const weight of parsed.weights) {
    const reason = weightRefusal(weight, options) ?? firstWeight(weight.day);
    if (reason === null) weights.push({ day: weight.day, weightKg: round(weight.weightKg, 2), source: 'import' });
    else refuse('weights', { where: weight.where, reason });
  }
  const intake: Omit<StoredIntake, 'source'>[] = [];
  for (const day of parsed.intake) {
    const reason = intakeRefusal(day, options) ?? firstIntake(day.day);
    if (reason === null) {
      intake.push({
        day: day.day,
        calories: day.calories,
        proteinG: grams(day.proteinG),
        carbsG: grams(day.carbsG),
        fatG: grams(day.fatG),
        complete: day.complete,
      });
    } else {
      refuse('intake', { where: day.where, reason });
    }
  }
  const byDay = (a: { day: string }, b: { day: string }) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0);
  weights.sort(byDay);
  intake.sort(byDay);
  const days = [...new Set([...weights.map((w) => w.day), ...intake.map((i) => i.day)])].sort();
  let report = reportOfFile(parsed, days);
  for (const [kind, row] of refused) rejectDay(report, kind, row);
  for (const kind of ['weights', 'intake'] as const) report[kind].rejected = refusedCounts[kind];
  onReport(report);

  let w = 0;
  let i = 0;
  for (let start = 0; start < days.length; start += BATCH_DAYS) {
    await nextTurn();
    options.signal.throwIfAborted();
    const from = days[start]!;
    const to = days[Math.min(start + BATCH_DAYS, days.length) - 1]!;
    const batchWeights: StoredWeight[] = [];
    while (w < weights.length && weights[w]!.day <= to) batchWeights.push(weights[w++]!);
    const batchIntake: Omit<StoredIntake, 'source'>[] = [];
    while (i < intake.length && intake[i]!.day <= to) batchIntake.push(intake[i++]!);
    const run = async (executor: Executor) => {
      const next = withTally(report, await storeBatch(executor, options, from, to, batchWeights, batchIntake));
      if (!(await options.save(executor, next))) throw new ImportGone('The import is no longer running');
      return next;
    };
    report = options.dryRun ? await run(db) : await db.transaction(run);
    onReport(report);
  }
  return report;
}
