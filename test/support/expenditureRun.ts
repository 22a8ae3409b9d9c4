// Runs the adaptive expenditure estimate over a synthetic person the way the service would, day
// by day, using only what was known that day. Shared by the simulation tests and the convergence
// report (npx tsx test/support/convergenceReport.ts).
import { estimateExpenditure, maintenanceCalories, trendWeightSeries } from '../../src/domain/index.ts';
import type { ExpenditureEstimate } from '../../src/domain/index.ts';
import { SYNTHETIC_PROFILE } from './syntheticPerson.ts';
import type { SyntheticPerson } from './syntheticPerson.ts';

export interface DayEstimate {
  /** days of data: day n is as of the evening of the n-th day (index n − 1) */
  day: number;
  truthKcal: number;
  errorKcal: number;
  estimate: ExpenditureEstimate;
}

/**
 * The estimate as of each day from `from` to `to` (1-based day counts). Body fat is "measured"
 * weekly (the true value on days 0, 7, 14, …, as a tape check-in would give it); the equation is
 * Mifflin–St Jeor × 1.55 at that day's trend weight.
 */
export function estimatesByDay(person: SyntheticPerson, from = 14, to = person.days.length): DayEstimate[] {
  const out: DayEstimate[] = [];
  for (let day = from; day <= to; day++) {
    const today = person.days[day - 1];
    const measured = person.days[7 * Math.floor((day - 1) / 7)];
    if (!today || !measured) break;
    const known = person.weights.filter((w) => w.date <= today.date);
    const trendKg = trendWeightSeries(known).at(-1)?.trendKg ?? person.options.startWeightKg;
    const estimate = estimateExpenditure({
      weights: known,
      intake: person.intake,
      bodyFatPct: (measured.fatMassKg / measured.trueWeightKg) * 100,
      equationTdeeKcal: maintenanceCalories(SYNTHETIC_PROFILE, trendKg),
      asOf: today.date,
    });
    out.push({ day, truthKcal: today.trueExpenditureKcal, errorKcal: estimate.tdeeKcal - today.trueExpenditureKcal, estimate });
  }
  return out;
}
