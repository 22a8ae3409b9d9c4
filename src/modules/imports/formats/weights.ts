/**
 * Weigh-ins into one weight a day: the first weigh-in of the day (the morning weight, before eating
 * and drinking, as trend-weight methods assume: docs/SCIENCE.md 7), by the time of day when the file
 * gives one, else in file order. A weigh-in outside 30–300 kg is refused and does not count as the
 * day's first; the others of a day are not refused, only not the day's weight.
 */
import { roundStored } from '../../../domain/index.ts';
import { inferWeightUnit, toKg, WEIGHT_KG } from './numbers.ts';
import type { Place, Rejections } from './reading.ts';
import { sortedByDay } from './intake.ts';
import type { DayWeight, WeightUnit } from './types.ts';

export interface WeighIn {
  day: string;
  value: number;
  place: Place /** `HH:MM:SS`, local time, when the file gives it. */;
  time?: string;
}

export interface DayWeights {
  weights: DayWeight[];
  weightUnit: WeightUnit | null;
  weightUnitInferred?: boolean;
}

/**
 * The days' weights from weigh-ins in `unit`; without a unit (the file does not say, the person did
 * not either) it is inferred from the values (inferWeightUnit).
 */
export function dayWeights(weighIns: readonly WeighIn[], unit: WeightUnit | undefined, rejections: Rejections): DayWeights {
  if (weighIns.length === 0) return { weights: [], weightUnit: null };
  const weightUnit = unit ?? inferWeightUnit(weighIns.map((w) => w.value));
  const first = new Map<string, WeighIn & { kg: number }>();
  for (const weighIn of weighIns) {
    const kg = roundStored(toKg(weighIn.value, weightUnit), 2);
    if (kg < WEIGHT_KG.min || kg > WEIGHT_KG.max) {
      rejections.add(weighIn.place, 'out_of_range');
      continue;
    }
    const earlier = first.get(weighIn.day);
    if (!earlier || (weighIn.time ?? '') < (earlier.time ?? '')) first.set(weighIn.day, { ...weighIn, kg });
  }
  const weights = sortedByDay([...first.values()].map((w) => ({ day: w.day, weightKg: w.kg, where: w.place.where })));
  return { weights, weightUnit, ...(unit === undefined ? { weightUnitInferred: true } : {}) };
}
