// Prints the adaptive expenditure's convergence on the synthetic people (docs/SCIENCE.md quotes it):
//   npx tsx test/support/convergenceReport.ts [seeds=20] [waterSdKg=0.5] [missingRate=0] [partialRate=0] [marked=yes|no]
// partialRate: share of the days logged only partly (55 % of what was eaten); marked: whether the
// person marks them incomplete.
import { trendWeightSeries } from '../../src/domain/index.ts';
import { estimatesByDay } from './expenditureRun.ts';
import { adaptingPerson, steadyPerson } from './syntheticPerson.ts';

const seeds = Number(process.argv[2] ?? 20);
const waterSdKg = Number(process.argv[3] ?? 0.5);
const missing = Number(process.argv[4] ?? 0);
const partialDayRate = Number(process.argv[5] ?? 0);
const marksPartialDays = (process.argv[6] ?? 'yes') === 'yes';
const CHECKPOINTS = [14, 21, 28, 42, 56, 90];

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

for (const [name, make] of [
  ['steady 2,600', steadyPerson],
  ['adapting 2,600→2,400', adaptingPerson],
] as const) {
  const byDay = new Map<number, number[]>();
  const worstFrom = { 28: [] as number[], 42: [] as number[] };
  let covered = 0;
  let counted = 0;
  let errorSum = 0;
  const trendErr: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const person = make(seed, { waterSdKg, missingWeighInRate: missing, missingIntakeRate: missing, partialDayRate, marksPartialDays });
    const run = estimatesByDay(person);
    for (const r of run) {
      if (CHECKPOINTS.includes(r.day)) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r.errorKcal]);
      if (r.day >= 28) {
        counted += 1;
        errorSum += r.errorKcal;
        if (r.truthKcal >= r.estimate.tdeeLowKcal && r.truthKcal <= r.estimate.tdeeHighKcal) covered += 1;
      }
    }
    worstFrom[28].push(Math.max(...run.filter((r) => r.day >= 28).map((r) => Math.abs(r.errorKcal))));
    worstFrom[42].push(Math.max(...run.filter((r) => r.day >= 42).map((r) => Math.abs(r.errorKcal))));
    trendWeightSeries(person.weights).forEach((d, i) => {
      if (i >= 27) trendErr.push(d.trendKg - (person.days[i]?.trueWeightKg ?? 0));
    });
  }
  const partly =
    partialDayRate > 0 ? `, ${(partialDayRate * 100).toFixed(0)} % days logged partly (${marksPartialDays ? 'marked' : 'not marked'})` : '';
  console.log(`\n${name} kcal/day — ${seeds} seeds, water SD ${waterSdKg} kg, ${missing * 100} % days missing${partly}`);
  console.log('day | mean error | median |error| | 90th pct |error| | max |error| | within ±150');
  for (const day of CHECKPOINTS) {
    const errs = byDay.get(day) ?? [];
    const abs = errs.map(Math.abs);
    const mean = errs.reduce((a, b) => a + b, 0) / errs.length;
    console.log(
      `${day} | ${mean.toFixed(0)} | ${quantile(abs, 0.5).toFixed(0)} | ${quantile(abs, 0.9).toFixed(0)} | ${Math.max(...abs).toFixed(0)} | ${abs.filter((e) => e <= 150).length}/${abs.length}`,
    );
  }
  console.log(
    `seeds within ±150 on every day from day 28: ${worstFrom[28].filter((e) => e <= 150).length}/${seeds}; from day 42: ${worstFrom[42].filter((e) => e <= 150).length}/${seeds} (worst ${Math.max(...worstFrom[42]).toFixed(0)})`,
  );
  console.log(
    `95 % band holds the truth on ${((100 * covered) / counted).toFixed(1)} % of days from day 28; mean error from day 28: ${(errorSum / counted).toFixed(0)}`,
  );
  const meanTrend = trendErr.reduce((a, b) => a + b, 0) / trendErr.length;
  console.log(
    `trend − true weight from day 28: mean ${meanTrend.toFixed(2)} kg, max |…| ${Math.max(...trendErr.map(Math.abs)).toFixed(2)} kg`,
  );
}
