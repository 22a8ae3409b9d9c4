/**
 * The records of an Apple Health export that Recomp keeps, gathered into days as they stream past:
 * body mass, and the dietary energy, protein, carbohydrates and fat that food apps write (one record
 * per meal or food). Every other type (steps, heart rate, energy burned: most of a real file) is
 * passed over at the cost of a string comparison.
 *
 * - A record belongs to the calendar day of its own local time as written: `2026-03-01 23:50:00 -0500`
 *   is March 1st, wherever the server is and whatever the offset of the records around it.
 * - The day's weight is its first weigh-in by that local time (weights.ts).
 * - The day's intake comes from ONE app: the source whose energy that day is largest. Two food apps
 *   connected to Health (or an app and a manual entry) write the same meals twice; the Health app's
 *   own daily totals count one source per sample too, so adding every source up would count meals twice.
 * - Health says nothing of whether a day was fully logged: its days are complete.
 */
import { KJ_PER_KCAL } from './numbers.ts';
import { intakeOf, rounded, sortedByDay, withinLimits, type DayTotals } from './intake.ts';
import type { Place, Rejections } from './reading.ts';
import type { DayIntake, WeightUnit } from './types.ts';
import type { WeighIn } from './weights.ts';
import { readDay } from './days.ts';

const BODY_MASS = 'HKQuantityTypeIdentifierBodyMass';
const ENERGY = 'HKQuantityTypeIdentifierDietaryEnergyConsumed';
const MACROS: Record<string, 'proteinG' | 'carbsG' | 'fatG'> = {
  HKQuantityTypeIdentifierDietaryProtein: 'proteinG',
  HKQuantityTypeIdentifierDietaryCarbohydrates: 'carbsG',
  HKQuantityTypeIdentifierDietaryFatTotal: 'fatG',
};

/** Units HealthKit writes, to kg, kcal (`Cal` is the kilocalorie of food labels) and g. */
const KG_PER: Record<string, number> = { kg: 1, lb: 0.45359237, g: 0.001, st: 6.35029318 };
const KCAL_PER: Record<string, number> = { kcal: 1, Cal: 1, kJ: 1 / KJ_PER_KCAL, cal: 0.001, J: 1 / (1000 * KJ_PER_KCAL) };
const G_PER: Record<string, number> = { g: 1, mg: 0.001, kg: 1000 };

const DATE_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) [+-]\d{4}$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export type RecordAttributes = Record<string, string>;

export class AppleHealthDays {
  readonly weighIns: WeighIn[] = [];
  private readonly weightUnits = new Map<WeightUnit, number>();
  /** day → source → that source's sums of the day. */
  private readonly intake = new Map<string, Map<string, DayTotals & { hasEnergy: boolean }>>();

  constructor(private readonly rejections: Rejections) {}

  add(record: RecordAttributes, place: Place): void {
    const type = record.type;
    if (type === BODY_MASS) this.addWeight(record, place);
    else if (type === ENERGY || (type !== undefined && type in MACROS)) this.addFood(type, record, place);
  }

  private parse(
    record: RecordAttributes,
    perUnit: Record<string, number>,
    place: Place,
  ): { day: string; time: string; amount: number } | null {
    const when = DATE_TIME.exec(record.startDate ?? '');
    const day = when ? readDay(when[1]!, null) : null;
    if (!when || !day || 'reason' in day) {
      this.rejections.add(place, 'not_a_date');
      return null;
    }
    const value = record.value ?? '';
    if (!NUMBER.test(value)) {
      this.rejections.add(place, 'not_a_number');
      return null;
    }
    const factor = Object.hasOwn(perUnit, record.unit ?? '') ? perUnit[record.unit!]! : undefined;
    if (factor === undefined) {
      this.rejections.add(place, 'unknown_unit');
      return null;
    }
    const amount = Number(value) * factor;
    if (amount < 0) {
      this.rejections.add(place, 'out_of_range');
      return null;
    }
    return { day: day.day, time: when[2]!, amount };
  }

  private addWeight(record: RecordAttributes, place: Place): void {
    const read = this.parse(record, KG_PER, place);
    if (!read) return;
    const unit: WeightUnit = record.unit === 'lb' || record.unit === 'st' ? 'lb' : 'kg';
    this.weightUnits.set(unit, (this.weightUnits.get(unit) ?? 0) + 1);
    this.weighIns.push({ day: read.day, value: read.amount, place, time: read.time });
  }

  private addFood(type: string, record: RecordAttributes, place: Place): void {
    const read = this.parse(record, type === ENERGY ? KCAL_PER : G_PER, place);
    if (!read) return;
    let sources = this.intake.get(read.day);
    if (!sources) this.intake.set(read.day, (sources = new Map()));
    const source = record.sourceName ?? '';
    let sums = sources.get(source);
    if (!sums)
      sources.set(source, (sums = { day: read.day, place, calories: 0, proteinG: null, carbsG: null, fatG: null, hasEnergy: false }));
    if (type === ENERGY) {
      sums.calories += read.amount;
      sums.hasEnergy = true;
      return;
    }
    const macro = MACROS[type]!;
    sums[macro] = (sums[macro] ?? 0) + read.amount;
  }

  /** The unit most of the weigh-ins were written in; null without weigh-ins. */
  weightUnit(): WeightUnit | null {
    if (this.weightUnits.size === 0) return null;
    return (this.weightUnits.get('lb') ?? 0) > (this.weightUnits.get('kg') ?? 0) ? 'lb' : 'kg';
  }

  /** Each day's intake from its main source; a day with macros but no energy is refused (`no_energy`). */
  days(): DayIntake[] {
    const days: DayIntake[] = [];
    for (const sources of this.intake.values()) {
      let main: (DayTotals & { hasEnergy: boolean }) | null = null;
      for (const sums of sources.values()) if (sums.hasEnergy && (main === null || sums.calories > main.calories)) main = sums;
      if (main === null) {
        const first = [...sources.values()].reduce((a, b) => (b.place.at < a.place.at ? b : a));
        this.rejections.add(first.place, 'no_energy');
        continue;
      }
      const day = rounded(main);
      if (withinLimits(day, this.rejections)) days.push(intakeOf(day, true));
    }
    return sortedByDay(days);
  }
}
