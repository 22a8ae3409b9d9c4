/**
 * MyFitnessPal's export: the "Nutrition Summary" CSV, one row per date and meal
 * (`Date,Meal[,Time],Calories,Fat (g),…,Carbohydrates (g),…,Protein (g),…,Note`, numbers sometimes
 * quoted with thousands separators, `"1,020"`), on its own or in the ZIP archive MyFitnessPal sends,
 * beside a "Measurement Summary" (`Date,Weight,…`) whose weights are in the account's unit, which the
 * file does not name. Each date's meals add up to the day; a day without its evening meal and under
 * half the file's median day is marked partial (docs/SCIENCE.md, 'Partial days').
 */
import { columnsOf, csvRows, headerOf } from './csv-rows.ts';
import { minutesAfterMidnight, readDay } from './days.ts';
import { DiaryDays, readNutrients } from './intake.ts';
import { parseAmount } from './numbers.ts';
import { Rejections } from './reading.ts';
import { withSources, type Source } from './sources.ts';
import type { FormatReader, ImportFile, ParsedImport, ReadOptions } from './types.ts';
import { dayWeights, type WeighIn } from './weights.ts';
import { baseName, type ZipEntry } from './zip.ts';

const NUTRITION_COLUMNS = {
  date: 'date',
  meal: 'meal',
  time: 'time',
  calories: 'calories',
  fatG: 'fat (g)',
  carbsG: 'carbohydrates (g)',
  proteinG: 'protein (g)',
};

/** The Nutrition Summary's header: a meal per row with its calories and macros in grams, and none of Lose It!'s columns. */
function isNutritionSummary(header: readonly string[]): boolean {
  const columns = columnsOf(header, NUTRITION_COLUMNS);
  return (
    columns.date === 0 &&
    columns.meal !== -1 &&
    columns.calories !== -1 &&
    columns.fatG !== -1 &&
    columns.carbsG !== -1 &&
    columns.proteinG !== -1 &&
    !header.includes('deleted') &&
    !header.includes('icon')
  );
}

const NUTRITION_ENTRY = /^nutrition[- _]summary.*\.csv$/i;
const MEASUREMENT_ENTRY = /^measurement[- _]summary.*\.csv$/i;

async function readNutrition(source: Source, diary: DiaryDays, rejections: Rejections): Promise<void> {
  const rows = csvRows(await source.open(), source.name ?? 'The file');
  const first = await rows.next();
  const header = first.done ? [] : first.value.cells.map((c) => c.toLowerCase());
  if (!isNutritionSummary(header)) {
    await rows.return(undefined);
    return;
  }
  const columns = columnsOf(header, NUTRITION_COLUMNS);
  for await (const { line, cells } of rows) {
    const place = source.place(line);
    const date = readDay(cells[columns.date] ?? '', null);
    if ('reason' in date) {
      rejections.add(place, date.reason);
      continue;
    }
    const nutrients = readNutrients(cells, columns, place, rejections);
    if (!nutrients) continue;
    const time = columns.time === -1 ? null : minutesAfterMidnight(cells[columns.time] ?? '');
    diary.add(date.day, place, nutrients, { name: cells[columns.meal] ?? null, minutesAfterMidnight: time });
  }
}

async function readMeasurements(source: Source, weighIns: WeighIn[], rejections: Rejections): Promise<void> {
  const rows = csvRows(await source.open(), source.name ?? 'The file');
  const first = await rows.next();
  const header = first.done ? [] : first.value.cells.map((c) => c.toLowerCase());
  const columns = columnsOf(header, { date: 'date', weight: 'weight' });
  if (columns.date === -1 || columns.weight === -1) {
    await rows.return(undefined);
    return;
  }
  for await (const { line, cells } of rows) {
    const place = source.place(line);
    const date = readDay(cells[columns.date] ?? '', null);
    if ('reason' in date) {
      rejections.add(place, date.reason);
      continue;
    }
    const value = parseAmount(cells[columns.weight] ?? '');
    if (value === null) continue; // a measurement row of other sites only
    if (Number.isNaN(value)) {
      rejections.add(place, 'not_a_number');
      continue;
    }
    weighIns.push({ day: date.day, value, place });
  }
}

export const myFitnessPal: FormatReader = {
  format: 'myfitnesspal',

  recognises(file: ImportFile): boolean {
    if (file.zipEntries !== null) return file.zipEntries.some((name) => NUTRITION_ENTRY.test(baseName(name)));
    const header = headerOf(file.head);
    return header !== null && isNutritionSummary(header);
  },

  async read(file: ImportFile, options: ReadOptions): Promise<ParsedImport> {
    const rejections = new Rejections();
    const diary = new DiaryDays();
    const weighIns: WeighIn[] = [];
    const wanted = (entries: ZipEntry[]) =>
      entries.filter((e) => NUTRITION_ENTRY.test(baseName(e.name)) || MEASUREMENT_ENTRY.test(baseName(e.name)));
    await withSources(file, options, wanted, async (sources) => {
      for (const source of sources) {
        if (source.name !== null && MEASUREMENT_ENTRY.test(source.name)) await readMeasurements(source, weighIns, rejections);
        else await readNutrition(source, diary, rejections);
      }
    });
    return {
      format: 'myfitnesspal',
      ...dayWeights(weighIns, options.weightUnit, rejections),
      intake: diary.intake(rejections),
      rejected: rejections.kept,
      rejectedCount: rejections.count,
    };
  },
};
