import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appleHealth } from '../../../src/modules/imports/formats/apple-health.ts';
import { cronometer } from '../../../src/modules/imports/formats/cronometer.ts';
import { loseIt } from '../../../src/modules/imports/formats/loseit.ts';
import { myFitnessPal } from '../../../src/modules/imports/formats/myfitnesspal.ts';
import type { FormatReader } from '../../../src/modules/imports/formats/types.ts';
import { importFileAt } from '../../../src/modules/imports/formats/file.ts';
import { fixture, tempFolder, writeZip } from './files.ts';

const READERS: FormatReader[] = [myFitnessPal, cronometer, loseIt, appleHealth];

/** Each file is recognised from its content (the names here say nothing: every copy is `upload`), by one reader at most. */
describe('recognising an export from its content', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    folder = await tempFolder();
    const upload = async (name: string, make: (out: string) => Promise<unknown>) => {
      const out = path.join(folder.dir, `upload-${Object.keys(files).length}`);
      await make(out);
      files[name] = out;
    };
    const copy = (fixtureName: string) => (out: string) => copyFile(fixture(fixtureName), out);
    for (const name of [
      'myfitnesspal-nutrition-summary.csv',
      'myfitnesspal-with-time.csv',
      'cronometer-dailysummary.csv',
      'cronometer-dailysummary-unmarked.csv',
      'cronometer-servings.csv',
      'loseit/food-logs.csv',
      'apple-health-export.xml',
      'not-apple-health.xml',
      'myfitnesspal-measurement-summary.csv',
      'loseit/weights.csv',
    ]) {
      await upload(name, copy(name));
    }
    await upload('myfitnesspal.zip', (out) =>
      writeZip(out, {
        'Nutrition-Summary-2026-03-02-to-2026-03-06.csv': { fixture: 'myfitnesspal-nutrition-summary.csv' },
        'Measurement-Summary-2026-03-02-to-2026-03-06.csv': { fixture: 'myfitnesspal-measurement-summary.csv' },
      }),
    );
    await upload('loseit.zip', (out) =>
      writeZip(out, { 'food-logs.csv': { fixture: 'loseit/food-logs.csv' }, 'weights.csv': { fixture: 'loseit/weights.csv' } }),
    );
    await upload('apple-health.zip', (out) =>
      writeZip(out, {
        'apple_health_export/export.xml': { fixture: 'apple-health-export.xml' },
        'apple_health_export/export_cda.xml': '<ClinicalDocument/>',
      }),
    );
    await upload('apple-health-localised.zip', (out) =>
      writeZip(out, { 'apple_health_export/导出.xml': { fixture: 'apple-health-export.xml' } }),
    );
    await upload('other.zip', (out) => writeZip(out, { 'notes.txt': 'hello', 'data/export.xml': '<HealthData/>' }));
  });
  afterAll(() => folder.remove());

  const cases: [string, FormatReader | null][] = [
    ['myfitnesspal-nutrition-summary.csv', myFitnessPal],
    ['myfitnesspal-with-time.csv', myFitnessPal],
    ['myfitnesspal.zip', myFitnessPal],
    ['cronometer-dailysummary.csv', cronometer],
    ['cronometer-dailysummary-unmarked.csv', cronometer],
    ['cronometer-servings.csv', cronometer],
    ['loseit.zip', loseIt],
    ['loseit/food-logs.csv', loseIt],
    ['apple-health-export.xml', appleHealth],
    ['apple-health.zip', appleHealth],
    ['apple-health-localised.zip', appleHealth],
    // Left to the other readers (a plain weigh-in CSV) or to none.
    ['not-apple-health.xml', null],
    ['myfitnesspal-measurement-summary.csv', null],
    ['loseit/weights.csv', null],
    ['other.zip', null],
  ];

  it.each(cases)('%s', async (name, reader) => {
    const file = await importFileAt(files[name]!);
    const recognisedBy = READERS.filter((r) => r.recognises(file)).map((r) => r.format);
    expect(recognisedBy).toEqual(reader ? [reader.format] : []);
  });
});
