/**
 * Cronometer's exports, one day a row or one food a row:
 * - the daily nutrition (`dailysummary.csv`: `Date,Energy (kcal),…,Carbs (g),…,Fat (g),…,Protein (g),…,Completed`),
 *   where `Completed` is the person's own mark that the day is fully logged. A person who never uses
 *   the mark leaves every day `false`; then it says nothing, and the days are judged as those without
 *   meals are (under half the file's median day: partial; docs/SCIENCE.md, 'Partial days').
 * - the servings (`servings.csv`: `Day,Time,Group,Food Name,Amount,Energy (kcal),…`), summed by day,
 *   with the partial-day rule on their meal groups (`Breakfast`, `Lunch`, `Dinner`, `Snacks`) and times,
 *   as for MyFitnessPal.
 * Energy may be in kJ (`Energy (kJ)`) for accounts set so.
 */
import { completeDays, type LoggedDay } from '../../../domain/index.ts';
import { columnsOf, csvRows, headerOf } from './csv-rows.ts';
import { minutesAfterMidnight, readDay } from './days.ts';
import { DiaryDays, intakeOf, readNutrients, rounded, sortedByDay, withinLimits, type DayTotals, type NutrientColumns } from './intake.ts';
import { KJ_PER_KCAL } from './numbers.ts';
import { Rejections } from './reading.ts';
import { withSources, type Source } from './sources.ts';
import type { DayIntake, FormatReader, ImportFile, ParsedImport, ReadOptions } from './types.ts';

type Layout = 'daily' | 'servings';

const MACRO_COLUMNS = { carbsG: 'carbs (g)', fatG: 'fat (g)', proteinG: 'protein (g)' };

/** Which export a header is, and how its energy column converts to kcal. */
function layoutOf(header: readonly string[]): {
  layout: Layout;
  columns: NutrientColumns & { day: number; group: number; time: number; completed: number };
  kcalPerUnit: number;
} | null {
  const kcal = header.indexOf('energy (kcal)');
  const kj = header.indexOf('energy (kj)');
  const calories = kcal !== -1 ? kcal : kj;
  if (calories === -1) return null;
  const macros = columnsOf(header, MACRO_COLUMNS);
  const kcalPerUnit = kcal !== -1 ? 1 : 1 / KJ_PER_KCAL;
  const found = columnsOf(header, { date: 'date', day: 'day', group: 'group', time: 'time', food: 'food name', completed: 'completed' });
  if (found.date === 0 && found.food === -1)
    return {
      layout: 'daily',
      columns: { ...macros, calories, day: found.date, group: -1, time: -1, completed: found.completed },
      kcalPerUnit,
    };
  if (found.day === 0 && found.food !== -1)
    return {
      layout: 'servings',
      columns: { ...macros, calories, day: found.day, group: found.group, time: found.time, completed: -1 },
      kcalPerUnit,
    };
  return null;
}

interface MarkedDay extends DayTotals {
  marked: boolean;
}

async function readFile(source: Source, rejections: Rejections): Promise<DayIntake[]> {
  const rows = csvRows(await source.open(), 'The file');
  const first = await rows.next();
  const shape = first.done ? null : layoutOf(first.value.cells.map((c) => c.toLowerCase()));
  if (!shape) {
    await rows.return(undefined);
    return [];
  }
  const { columns, kcalPerUnit } = shape;
  const diary = new DiaryDays();
  const daily: MarkedDay[] = [];
  const seen = new Set<string>();
  for await (const { line, cells } of rows) {
    const place = source.place(line);
    const date = readDay(cells[columns.day] ?? '', null);
    if ('reason' in date) {
      rejections.add(place, date.reason);
      continue;
    }
    const nutrients = readNutrients(cells, columns, place, rejections, kcalPerUnit);
    if (!nutrients) continue;
    if (shape.layout === 'servings') {
      const time = columns.time === -1 ? null : minutesAfterMidnight(cells[columns.time] ?? '');
      diary.add(date.day, place, nutrients, {
        name: columns.group === -1 ? null : (cells[columns.group] ?? null),
        minutesAfterMidnight: time,
      });
      continue;
    }
    if (seen.has(date.day)) {
      rejections.add(place, 'day_repeated');
      continue;
    }
    seen.add(date.day);
    if (nutrients.calories === 0) continue; // a row of zeros: nothing was logged that day, which is not a day of eating nothing
    daily.push({ day: date.day, place, ...nutrients, marked: (cells[columns.completed] ?? '').toLowerCase() === 'true' });
  }
  return shape.layout === 'servings' ? diary.intake(rejections) : dailyIntake(daily, rejections);
}

/** The person's own mark where they use it; the calorie half of the partial-day rule where they never do. */
function dailyIntake(days: MarkedDay[], rejections: Rejections): DayIntake[] {
  const kept = days.map(rounded).filter((d) => withinLimits(d, rejections));
  const marksUsed = kept.some((d) => d.marked);
  const byCalories = completeDays(kept.map((d): LoggedDay => ({ calories: d.calories, hasDinner: false })));
  return sortedByDay(kept.map((d, i) => intakeOf(d, marksUsed ? d.marked : byCalories[i]!)));
}

export const cronometer: FormatReader = {
  format: 'cronometer',

  recognises(file: ImportFile): boolean {
    const header = file.zipEntries === null ? headerOf(file.head) : null;
    return header !== null && layoutOf(header) !== null;
  },

  async read(file: ImportFile, options: ReadOptions): Promise<ParsedImport> {
    const rejections = new Rejections();
    const intake = await withSources(
      file,
      options,
      () => [],
      async ([source]) => (source ? readFile(source, rejections) : []),
    );
    return { format: 'cronometer', weightUnit: null, weights: [], intake, rejected: rejections.kept, rejectedCount: rejections.count };
  },
};
