/**
 * Lose It!'s export, a ZIP archive of CSV files of which three matter here:
 * - `food-logs.csv` (`Date,Name,Icon,Meal,Quantity,Units,Calories,Deleted,Fat (g),Protein (g),Carbohydrates (g),…`):
 *   one food a row, summed by day; a row marked deleted (`Deleted` true, 1 or yes) was removed from
 *   the diary and does not count. Meals are Breakfast, Lunch, Dinner and Snacks, so the partial-day
 *   rule applies (docs/SCIENCE.md, 'Partial days').
 * - `daily-calorie-summary.csv` (`Date,Food cals,Exercise cals,Budget cals,EER`): the calories of the days
 *   without food rows (a day's total kept after its items were not), no macros; a day of 0 food
 *   calories is a day not logged.
 * - `weights.csv` (`Date,Weight,Last Updated,Deleted`): in the account's unit, which the file does not
 *   name: the person's `weightUnit`, else inferred from the values (numbers.ts, inferWeightUnit).
 * Dates are US month first (`03/01/2026`) or ISO. A `food-logs.csv` uploaded on its own is read too.
 */
import { columnsOf, csvRows, headerOf } from './csv-rows.ts';
import { readDay } from './days.ts';
import { DiaryDays, readNutrients, type DayTotals } from './intake.ts';
import { parseAmount } from './numbers.ts';
import { Rejections } from './reading.ts';
import { withSources, type Source } from './sources.ts';
import type { FormatReader, ImportFile, ParsedImport, ReadOptions } from './types.ts';
import { dayWeights, type WeighIn } from './weights.ts';
import { baseName, type ZipEntry } from './zip.ts';

const FILES = ['food-logs.csv', 'daily-calorie-summary.csv', 'weights.csv'] as const;
type LoseItFile = (typeof FILES)[number];

const FOOD_COLUMNS = {
  date: 'date',
  meal: 'meal',
  calories: 'calories',
  deleted: 'deleted',
  fatG: 'fat (g)',
  proteinG: 'protein (g)',
  carbsG: 'carbohydrates (g)',
};

const isFoodLog = (header: readonly string[]) => ['date', 'name', 'icon', 'meal', 'calories', 'deleted'].every((c) => header.includes(c));
const isDeleted = (cell: string | undefined) => /^(true|1|yes)$/i.test((cell ?? '').trim());

interface Reading {
  rejections: Rejections;
  diary: DiaryDays;
  summaryDays: DayTotals[];
  weighIns: WeighIn[];
}

/** The rows after the header, with the header's columns; nothing when the file lacks `needed`. */
async function* rowsOf<K extends string>(source: Source, columns: Record<K, string>, needed: NoInfer<K>[]) {
  const rows = csvRows(await source.open(), source.name ?? 'The file');
  const first = await rows.next();
  const found = columnsOf(first.done ? [] : first.value.cells.map((c) => c.toLowerCase()), columns);
  if (needed.some((k) => found[k] === -1)) {
    await rows.return(undefined);
    return;
  }
  for await (const { line, cells } of rows) yield { place: source.place(line), cells, at: found };
}

async function readFoodLogs(source: Source, r: Reading): Promise<void> {
  for await (const { place, cells, at } of rowsOf(source, FOOD_COLUMNS, ['date', 'calories'])) {
    if (isDeleted(cells[at.deleted])) continue;
    const date = readDay(cells[at.date] ?? '', 'mdy');
    if ('reason' in date) {
      r.rejections.add(place, date.reason);
      continue;
    }
    const nutrients = readNutrients(cells, at, place, r.rejections);
    if (nutrients) r.diary.add(date.day, place, nutrients, { name: cells[at.meal] ?? null, minutesAfterMidnight: null });
  }
}

async function readSummary(source: Source, r: Reading): Promise<void> {
  for await (const { place, cells, at } of rowsOf(source, { date: 'date', food: 'food cals' }, ['date', 'food'])) {
    const date = readDay(cells[at.date] ?? '', 'mdy');
    if ('reason' in date) {
      r.rejections.add(place, date.reason);
      continue;
    }
    if (r.diary.has(date.day)) continue;
    const calories = parseAmount(cells[at.food] ?? '');
    if (calories === null || calories === 0) continue;
    if (Number.isNaN(calories)) {
      r.rejections.add(place, 'not_a_number');
      continue;
    }
    if (calories < 0) {
      r.rejections.add(place, 'out_of_range');
      continue;
    }
    r.summaryDays.push({ day: date.day, place, calories, proteinG: null, carbsG: null, fatG: null });
  }
}

async function readWeights(source: Source, r: Reading): Promise<void> {
  for await (const { place, cells, at } of rowsOf(source, { date: 'date', weight: 'weight', deleted: 'deleted' }, ['date', 'weight'])) {
    if (isDeleted(cells[at.deleted])) continue;
    const date = readDay(cells[at.date] ?? '', 'mdy');
    if ('reason' in date) {
      r.rejections.add(place, date.reason);
      continue;
    }
    const value = parseAmount(cells[at.weight] ?? '');
    if (value === null) continue;
    if (Number.isNaN(value)) {
      r.rejections.add(place, 'not_a_number');
      continue;
    }
    r.weighIns.push({ day: date.day, value, place });
  }
}

const READERS: Record<LoseItFile, (source: Source, r: Reading) => Promise<void>> = {
  'food-logs.csv': readFoodLogs,
  'daily-calorie-summary.csv': readSummary,
  'weights.csv': readWeights,
};

const fileOf = (name: string) => FILES.find((f) => f === baseName(name).toLowerCase());

export const loseIt: FormatReader = {
  format: 'loseit',

  recognises(file: ImportFile): boolean {
    if (file.zipEntries !== null) return file.zipEntries.some((name) => fileOf(name) !== undefined);
    const header = headerOf(file.head);
    return header !== null && isFoodLog(header);
  },

  async read(file: ImportFile, options: ReadOptions): Promise<ParsedImport> {
    const r: Reading = { rejections: new Rejections(), diary: new DiaryDays(), summaryDays: [], weighIns: [] };
    // Food first: the summary fills only the days the food rows leave empty.
    const wanted = (entries: ZipEntry[]) => FILES.flatMap((f) => entries.filter((e) => fileOf(e.name) === f));
    await withSources(file, options, wanted, async (sources) => {
      for (const source of sources) await READERS[source.name === null ? 'food-logs.csv' : fileOf(source.name)!](source, r);
    });
    return {
      format: 'loseit',
      ...dayWeights(r.weighIns, options.weightUnit, r.rejections),
      intake: r.diary.intake(r.rejections, r.summaryDays),
      rejected: r.rejections.kept,
      rejectedCount: r.rejections.count,
    };
  },
};
