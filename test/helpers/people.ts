/** Fixtures shared by the goal and progress flows. */
import { daysFrom } from './api.ts';

/** A date of birth that makes the person `years` old today (their birthday was a month ago). */
export function bornYearsAgo(years: number): string {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() - 1);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

/** The reference man: 175 cm, 35 years, moderately active (docs/SCIENCE.md 12.2, rows 1 and 4). */
export const quickstartMan = () => ({
  gender: 'male',
  height_cm: 175,
  date_of_birth: bornYearsAgo(35),
  activity_level: 'moderately_active',
});

export const navy = (overrides: Record<string, unknown> = {}) => ({
  weight_kg: 90,
  calculation_method: 'navy',
  waist_cm: 95,
  neck_cm: 38,
  measured_at: daysFrom(0),
  ...overrides,
});

/**
 * The waist (cm, 2 dp) at which a man of this height and neck measures `bodyFatPct` with the Navy
 * method: its metric equation (Hodgdon & Beckett 1984, with Siri) solved for the waist. Lets a test
 * check in at a chosen body fat (the stored value may differ by a few hundredths after rounding).
 */
export function navyWaistFor(bodyFatPct: number, heightCm = 175, neckCm = 38): number {
  const density = 495 / (bodyFatPct + 450);
  const logWaistMinusNeck = (1.0324 + 0.15456 * Math.log10(heightCm) - density) / 0.19077;
  return Math.round((10 ** logWaistMinusNeck + neckCm) * 100) / 100;
}
