import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAppleHealthExport, type GeneratedExport } from '../../../scripts/imports/apple-health-export.ts';
import { appleHealth } from '../../../src/modules/imports/formats/apple-health.ts';
import type { ParsedImport } from '../../../src/modules/imports/formats/types.ts';
import { importFileAt } from '../../../src/modules/imports/formats/file.ts';
import { readOptions, tempFolder } from './files.ts';

/** The generated export read back gives exactly the days the generator says it wrote. */
function expectReadBack(parsed: ParsedImport, written: GeneratedExport) {
  expect(parsed.weights.map((w) => w.day)).toEqual(Object.keys(written.weights).sort());
  for (const w of parsed.weights) expect(Math.abs(w.weightKg - written.weights[w.day]!)).toBeLessThanOrEqual(0.005 + 1e-9);
  expect(parsed.intake.map((d) => d.day)).toEqual(Object.keys(written.intake).sort());
  for (const d of parsed.intake) {
    const sum = written.intake[d.day]!;
    expect(Math.abs(d.calories - sum.kcal), d.day).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(Math.abs(d.proteinG! - sum.proteinG), d.day).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(Math.abs(d.carbsG! - sum.carbsG), d.day).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(Math.abs(d.fatG! - sum.fatG), d.day).toBeLessThanOrEqual(0.05 + 1e-9);
  }
  // The only refusals are the typed weigh-ins the generator slipped in.
  expect(parsed.rejectedCount).toBe(written.rejectedWeights);
  expect(new Set(parsed.rejected.map((r) => r.reason))).toEqual(new Set(written.rejectedWeights > 0 ? ['out_of_range'] : []));
}

describe('the synthetic Apple Health export (scripts/imports/apple-health-export.ts)', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  beforeAll(async () => {
    folder = await tempFolder();
  });
  afterAll(() => folder.remove());

  it('is about the size asked, and reads back as the days it wrote (export.xml, kilograms)', async () => {
    const file = path.join(folder.dir, 'export.xml');
    const written = await generateAppleHealthExport(file, { sizeMb: 3, seed: 7 });
    expect(written.bytes / (3 * 1024 * 1024)).toBeGreaterThan(0.9);
    expect(written.bytes / (3 * 1024 * 1024)).toBeLessThan(1.1);
    expect(Object.keys(written.weights).length).toBeGreaterThan(100);
    expect(Object.keys(written.intake).length).toBeGreaterThan(100);
    const parsed = await appleHealth.read(await importFileAt(file), readOptions().options);
    expect(parsed.weightUnit).toBe('kg');
    expectReadBack(parsed, written);
  });

  it('zipped as the Health app shares it, in pounds', async () => {
    const file = path.join(folder.dir, 'export.zip');
    const written = await generateAppleHealthExport(file, { sizeMb: 2, zip: true, seed: 11, weightUnit: 'lb' });
    const described = await importFileAt(file);
    expect(described.zipEntries).toEqual(expect.arrayContaining(['apple_health_export/export.xml', 'apple_health_export/export_cda.xml']));
    expect(appleHealth.recognises(described)).toBe(true);
    const parsed = await appleHealth.read(described, readOptions().options);
    expect(parsed.weightUnit).toBe('lb');
    expectReadBack(parsed, written);
  });
});
