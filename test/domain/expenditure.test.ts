import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BODY_FAT_PCT,
  EQUATION_TDEE_SD_FRACTION,
  EXPENDITURE_BAND_Z,
  addDays,
  energyDensityKcalPerKg,
  estimateExpenditure,
  leastSquaresLine,
} from '../../src/domain/index.ts';
import type { DailyIntake, DailyWeight, ExpenditureInput } from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

const START = '2025-01-06';
const weights = (days: number, kg: (d: number) => number): DailyWeight[] =>
  Array.from({ length: days }, (_, d) => ({ date: addDays(START, d), weightKg: kg(d) }));
const intake = (days: number, kcal: (d: number) => number | null): DailyIntake[] =>
  Array.from({ length: days }, (_, d) => ({ date: addDays(START, d), calories: kcal(d) })).filter(
    (row): row is DailyIntake => row.calories !== null,
  );
/** Eats 2,000 kcal a day and loses exactly 50 g a day (0.35 kg a week), no water noise. */
const steadyLoss = (days: number, over: Partial<ExpenditureInput> = {}): ExpenditureInput => ({
  weights: weights(days, (d) => 80 - 0.05 * d),
  intake: intake(days, () => 2000),
  bodyFatPct: 25,
  equationTdeeKcal: 2500,
  asOf: addDays(START, days - 1),
  ...over,
});

describe('estimateExpenditure without data: the equation', () => {
  it('returns the equation with its ±10 % (1 SD) as a 95 % band', () => {
    const e = estimateExpenditure({ weights: [], intake: [], bodyFatPct: null, equationTdeeKcal: 2500, asOf: START });
    // 2,500 ± 1.96 × 250
    expect(e).toMatchObject({
      tdeeKcal: 2500,
      tdeeLowKcal: 2010,
      tdeeHighKcal: 2990,
      method: 'equation',
      dataDays: 0,
      dataWeight: 0,
      series: [],
    });
    expect(e.energyDensityKcalPerKg).toBeNull();
    expect(EQUATION_TDEE_SD_FRACTION * EXPENDITURE_BAND_Z * 2500).toBeCloseTo(490, 10);
  });

  it('stays on the equation while the window holds fewer than 14 logged intake days (missing days are not zeros)', () => {
    const thin = steadyLoss(28, { intake: intake(28, (d) => (d < 13 ? 2000 : null)) });
    const e = estimateExpenditure(thin);
    expect(e).toMatchObject({ method: 'equation', tdeeKcal: 2500, dataDays: 0 });
    expect(e.window).toMatchObject({ intakeDays: 13, minIntakeDays: 14, weighInDays: 28, observedTdeeKcal: null });
    expect(e.series.every((d) => d.method === 'equation')).toBe(true);
    expect(estimateExpenditure(steadyLoss(28, { intake: intake(28, (d) => (d < 14 ? 2000 : null)) })).method).not.toBe('equation');
  });

  it('needs about one weigh-in a week too', () => {
    const weekly = steadyLoss(28, { weights: weights(28, (d) => 80 - 0.05 * d).filter((_, d) => d % 10 === 0) }); // 3 weigh-ins
    expect(estimateExpenditure(weekly).method).toBe('equation');
  });
});

describe('estimateExpenditure with data: mean intake minus the energy of the weight change', () => {
  it('reports the window formula, mean intake − ρ × weight change / days (docs/SCIENCE.md 9; hand-computed)', () => {
    const e = estimateExpenditure(steadyLoss(28));
    // Energy density at the current weight and 25 % fat: ~78.6 kg → 19.7 kg fat → ~6,800 kcal/kg
    const w = e.series.at(-1)?.estimatedWeightKg ?? 0;
    expect(w).toBeCloseTo(78.65, 1); // the line's last point; no lag
    expect(e.energyDensityKcalPerKg).toBe(Math.round(energyDensityKcalPerKg(0.25 * w)));
    expect(e.window).toMatchObject({ days: 28, intakeDays: 28, weighInDays: 28, meanIntakeKcal: 2000, weightChangeKgPerWeek: -0.35 });
    // 2,000 − 6,803 × (−0.05) = 2,340
    expect(e.window.observedTdeeKcal).toBe(Math.round(2000 + 0.05 * energyDensityKcalPerKg(0.25 * w)));
    expect(e.window.observedTdeeKcal).toBe(2340);
  });

  it('weighs the equation against the data by precision: a month of clean logs is almost all data', () => {
    const e = estimateExpenditure(steadyLoss(28));
    expect(e.method).toBe('adaptive');
    expect(e.dataWeight).toBeGreaterThan(0.9);
    // truth implied by the data is 2,340; the equation (2,500) pulls a few kcal
    expect(e.tdeeKcal).toBeGreaterThanOrEqual(2340);
    expect(e.tdeeKcal).toBeLessThan(2340 + 0.1 * (2500 - 2340));
    expect(e.tdeeLowKcal).toBeLessThan(2340);
    expect(e.tdeeHighKcal).toBeGreaterThan(2340);
    expect(e.dataDays).toBe(28);
    // each day's estimate is there, the last one is the answer
    expect(e.series).toHaveLength(28);
    expect(e.series.at(-1)).toMatchObject({ date: e.window.endDate, tdeeKcal: e.tdeeKcal, method: 'adaptive' });
  });

  it('blends while data are few and noisy, and the band narrows as they accumulate', () => {
    // ±0.5 kg alternating water noise: early on the data carry less than 80 % of the precision
    const noisy = (days: number) => steadyLoss(days, { weights: weights(days, (d) => 80 - 0.05 * d + (d % 2 ? 0.5 : -0.5)) });
    const early = estimateExpenditure(noisy(14));
    expect(early.method).toBe('blended');
    expect(early.waterNoiseSdKg).toBeCloseTo(0.71, 2); // consecutive changes of 1 kg: √(1²/2)
    const late = estimateExpenditure(noisy(56));
    expect(late.method).toBe('adaptive');
    expect(late.tdeeHighKcal - late.tdeeLowKcal).toBeLessThan(early.tdeeHighKcal - early.tdeeLowKcal);
    expect(Math.abs(late.tdeeKcal - 2340)).toBeLessThan(40);
  });

  it('skips missing intake days instead of counting them as 0 kcal', () => {
    const all = estimateExpenditure(steadyLoss(28));
    const gaps = estimateExpenditure(steadyLoss(28, { intake: intake(28, (d) => (d % 3 === 2 ? null : 2000)) }));
    expect(gaps.window.intakeDays).toBe(19);
    expect(Math.abs(gaps.tdeeKcal - all.tdeeKcal)).toBeLessThan(10);
    // zero-filled, the mean intake would be 1,357 and the estimate ~640 kcal lower
  });

  it('is not thrown by a mistyped weigh-in', () => {
    const clean = estimateExpenditure(steadyLoss(42));
    const typo = weights(42, (d) => (d === 30 ? 58.5 : 80 - 0.05 * d)); // 78.5 typed as 58.5
    expect(Math.abs(estimateExpenditure(steadyLoss(42, { weights: typo })).tdeeKcal - clean.tdeeKcal)).toBeLessThan(20);
  });

  it('ignores data after asOf and assumes 25 % body fat when none is known', () => {
    const later = estimateExpenditure(steadyLoss(40, { asOf: addDays(START, 27) }));
    expect(later.tdeeKcal).toBe(estimateExpenditure(steadyLoss(28)).tdeeKcal);
    expect(later.series).toHaveLength(28);
    const unknown = estimateExpenditure(steadyLoss(28, { bodyFatPct: null }));
    expect(DEFAULT_BODY_FAT_PCT).toBe(25);
    expect(unknown.tdeeKcal).toBe(estimateExpenditure(steadyLoss(28)).tdeeKcal);
  });

  it('validates its inputs', () => {
    expect(domainError(() => estimateExpenditure(steadyLoss(28, { windowDays: 20 })))).toMatchObject({
      code: 'invalid_window_days',
      field: 'window_days',
    });
    expect(domainError(() => estimateExpenditure(steadyLoss(28, { windowDays: 29 }))).code).toBe('invalid_window_days');
    expect(estimateExpenditure(steadyLoss(28, { windowDays: 21 })).window.minIntakeDays).toBe(11);
    const twice = steadyLoss(28, { intake: [...intake(28, () => 2000), { date: START, calories: 1800 }] });
    expect(domainError(() => estimateExpenditure(twice)).code).toBe('duplicate_date');
    expect(domainError(() => estimateExpenditure(steadyLoss(28, { intake: [{ date: START, calories: -1 }] }))).code).toBe(
      'negative_calories',
    );
    expect(domainError(() => estimateExpenditure(steadyLoss(28, { bodyFatPct: 0 }))).code).toBe('invalid_body_fat');
    expect(domainError(() => estimateExpenditure(steadyLoss(28, { equationTdeeKcal: 0 }))).code).toBe('not_positive');
    expect(domainError(() => estimateExpenditure(steadyLoss(28, { asOf: 'today' })))).toMatchObject({
      code: 'invalid_date',
      field: 'as_of',
    });
  });
});

describe('estimateExpenditure with days logged only partly (docs/SCIENCE.md 9, "Incomplete days in the estimate")', () => {
  // Every third day (d % 3 = 2) only breakfast and lunch were logged: 1,100 of the 2,000 kcal eaten.
  const partly = (d: number): DailyIntake => ({ date: addDays(START, d), calories: d % 3 === 2 ? 1100 : 2000, complete: d % 3 !== 2 });
  const logs = (days: number) => Array.from({ length: days }, (_, d) => partly(d));
  const unmarked = (rows: DailyIntake[]) => rows.map(({ date, calories }) => ({ date, calories }));

  it('counts an incomplete day exactly like a day without intake, and says how many the window had', () => {
    const marked = estimateExpenditure(steadyLoss(28, { intake: logs(28) }));
    const missing = estimateExpenditure(steadyLoss(28, { intake: logs(28).filter((row) => row.complete) }));
    expect(marked.window).toMatchObject({ intakeDays: 19, incompleteDays: 9, meanIntakeKcal: 2000, observedTdeeKcal: 2340 });
    expect(missing.window.incompleteDays).toBe(0);
    expect({ ...marked, window: { ...marked.window, incompleteDays: 0 } }).toEqual(missing);
    // Here the window's mean stands in for the 9 days, which is what was eaten: the same as complete logs.
    expect(marked).toMatchObject({ tdeeKcal: 2347, tdeeLowKcal: 2228, tdeeHighKcal: 2465, dataDays: 19, method: 'adaptive' });
    expect(estimateExpenditure(steadyLoss(28)).tdeeKcal).toBe(2347);
  });

  it("without the flag reads the partial calories as the day's intake and estimates about 300 kcal low", () => {
    const e = estimateExpenditure(steadyLoss(28, { intake: unmarked(logs(28)) }));
    // mean intake (19 × 2,000 + 9 × 1,100) / 28 = 1,710.7; observed 1,710.7 + 0.05 kg × 6,802 kcal/kg = 2,050.8
    expect(e.window).toMatchObject({ intakeDays: 28, incompleteDays: 0, meanIntakeKcal: 1711, observedTdeeKcal: 2051 });
    expect(e.energyDensityKcalPerKg).toBe(6802);
    expect(e).toMatchObject({ tdeeKcal: 2054, tdeeLowKcal: 1942, tdeeHighKcal: 2166, dataDays: 28 });
  });

  it('reads an absent flag as a complete day', () => {
    const rows = logs(28).map((row) => ({ ...row, complete: true }));
    expect(estimateExpenditure(steadyLoss(28, { intake: rows }))).toEqual(estimateExpenditure(steadyLoss(28, { intake: unmarked(rows) })));
  });

  it('needs 14 complete days in the window: incomplete ones do not count towards it', () => {
    // 14 complete days (d < 14), then 14 marked incomplete: 14 of 28; one fewer complete and it is the equation
    const rows = Array.from({ length: 28 }, (_, d): DailyIntake => ({ date: addDays(START, d), calories: 2000, complete: d < 14 }));
    expect(estimateExpenditure(steadyLoss(28, { intake: rows })).window).toMatchObject({ intakeDays: 14, incompleteDays: 14 });
    expect(estimateExpenditure(steadyLoss(28, { intake: rows })).method).not.toBe('equation');
    const fewer = estimateExpenditure(steadyLoss(28, { intake: rows.map((row, d) => (d === 13 ? { ...row, complete: false } : row)) }));
    expect(fewer).toMatchObject({ method: 'equation', tdeeKcal: 2500, dataDays: 0 });
    expect(fewer.window).toMatchObject({ intakeDays: 13, incompleteDays: 15, observedTdeeKcal: null });
  });

  it('counts only the incomplete days of the window up to asOf, and still refuses two entries of one day', () => {
    // 50 days logged, as of day 41: of the 14 incomplete days up to it (d % 3 = 2), the 10 of days
    // 14–41 are in the window; the 28 complete days of 0–41 are behind the estimate.
    const e = estimateExpenditure(steadyLoss(50, { intake: logs(50), asOf: addDays(START, 41) }));
    expect(e.window).toMatchObject({ startDate: addDays(START, 14), incompleteDays: 10, intakeDays: 18 });
    expect(e.dataDays).toBe(28);
    const twice = steadyLoss(28, { intake: [...logs(28), { date: START, calories: 900, complete: false }] });
    expect(domainError(() => estimateExpenditure(twice)).code).toBe('duplicate_date');
  });
});

describe('estimateExpenditure on logs that make no sense: never out of range, never a refusal', () => {
  it('stops moving the weight by the logs after a window without a weigh-in (500 kcal a day for half a year)', () => {
    // A 55 kg woman at 20 % who logs one small meal a day and weighs rarely: the logs alone "lose"
    // more than she weighs, and pricing a negative fat mass used to refuse her check-ins (422).
    for (const weighDays of [[0], [0, 180]]) {
      const input: ExpenditureInput = {
        weights: weighDays.map((d) => ({ date: addDays(START, d), weightKg: 55 })),
        intake: intake(181, () => 500),
        bodyFatPct: 20,
        equationTdeeKcal: 1968,
        asOf: addDays(START, 180),
      };
      const e = estimateExpenditure(input);
      expect(Math.min(...e.series.map((d) => d.estimatedWeightKg))).toBeGreaterThan(40);
      expect(e.tdeeKcal).toBeGreaterThanOrEqual(500);
    }
  });

  it('clamps what it reports into 500–10,000 kcal', () => {
    // Nothing eaten for two months while the scale climbs from 60 to 100 kg: the data say < 0 kcal.
    const gaining = estimateExpenditure({
      weights: weights(60, (d) => 60 + (40 * d) / 59),
      intake: intake(60, () => 0),
      bodyFatPct: 25,
      equationTdeeKcal: 2200,
      asOf: addDays(START, 59),
    });
    expect(gaining.method).not.toBe('equation');
    expect(gaining).toMatchObject({ tdeeKcal: 500, tdeeLowKcal: 500 });
    expect(gaining.tdeeHighKcal).toBeGreaterThanOrEqual(500);
    expect(Math.min(...gaining.series.map((d) => d.tdeeLowKcal))).toBeGreaterThanOrEqual(500);
    // Mifflin–St Jeor for a sedentary 95-year-old woman of 30 kg and 120 cm is under 500.
    const tiny = estimateExpenditure({ weights: [], intake: [], bodyFatPct: null, equationTdeeKcal: 347, asOf: START });
    expect(tiny).toMatchObject({ tdeeKcal: 500, tdeeLowKcal: 500, tdeeHighKcal: 500, equationTdeeKcal: 347, method: 'equation' });
  });
});

describe('estimateExpenditure for a plan (series: false)', () => {
  it('gives the same estimate with only the last day in the series', () => {
    const full = estimateExpenditure(steadyLoss(60));
    const today = estimateExpenditure(steadyLoss(60, { series: false }));
    expect(full.series).toHaveLength(60);
    expect(today.series).toEqual(full.series.slice(-1));
    expect({ ...today, series: [] }).toEqual({ ...full, series: [] });
  });

  it('is the equation at the latest weight when no intake is logged, as the service short-cuts it', () => {
    const e = estimateExpenditure(steadyLoss(60, { intake: [], series: false }));
    expect(e).toMatchObject({ method: 'equation', tdeeKcal: 2500, sdKcal: EQUATION_TDEE_SD_FRACTION * 2500, dataDays: 0 });
  });
});

describe('leastSquaresLine', () => {
  it('fits y = 2x + 1 exactly, and refuses xs and ys of different lengths rather than dropping points', () => {
    expect(leastSquaresLine([0, 1, 2, 3], [1, 3, 5, 7])).toMatchObject({ slope: 2, intercept: 1, n: 4 });
    expect(leastSquaresLine([1], [1])).toBeNull();
    expect(() => leastSquaresLine([1, 2, 3], [1, 2])).toThrow(RangeError);
  });
});
