import { DomainError, requireFinite, requirePositive } from '../errors.ts';

// What a change of body weight is made of, and what it is worth in energy.
//
// Forbes (1987, Nutr Rev 45:225; 2000, Ann NY Acad Sci 904:359) found lean mass rising with the
// logarithm of fat mass across people, FFM = 10.4 · ln(FM) + c, so the lean share of a small
// weight change is dFFM/dBW = 10.4 / (10.4 + FM): the leaner the person, the more of a loss is
// lean tissue. Hall (2007, Br J Nutr 97:1059, "Forbes's theory revisited") integrated the same
// curve for changes of any size; Hall (2008, Int J Obes 32:573) priced each part by its
// metabolisable energy: 39.5 MJ per kg of fat and 7.6 MJ per kg of lean tissue (mostly water,
// with protein and glycogen).

/** Forbes' constant, kg: the fat mass at which half of a weight change is lean tissue. */
export const FORBES_CONSTANT_KG = 10.4;
/** Hall 2008: ρF = 39.5 MJ/kg ≈ 9,441 kcal/kg (thermochemical calorie, 4.184 kJ). */
export const FAT_TISSUE_KCAL_PER_KG = 39_500 / 4.184;
/** Hall 2008: ρL = 7.6 MJ/kg ≈ 1,816 kcal/kg. */
export const LEAN_TISSUE_KCAL_PER_KG = 7_600 / 4.184;

function requireFatMass(fatMassKg: number): number {
  return requirePositive(fatMassKg, 'fat_mass_kg');
}

/** The fat share of a small weight change at this fat mass: FM / (10.4 + FM) (Forbes 1987). */
export function fatFraction(fatMassKg: number): number {
  const fat = requireFatMass(fatMassKg);
  return fat / (FORBES_CONSTANT_KG + fat);
}

/**
 * kcal stored or released per kg of weight change at this fat mass: fat share × 9,441 + lean share
 * × 1,816 (Hall 2008). About 7,500 kcal/kg with 30 kg of fat (close to the "3,500 kcal per pound"
 * rule, which Hall found right only above ~30 kg of fat) and far less for lean people.
 */
export function energyDensityKcalPerKg(fatMassKg: number): number {
  const f = fatFraction(fatMassKg);
  return f * FAT_TISSUE_KCAL_PER_KG + (1 - f) * LEAN_TISSUE_KCAL_PER_KG;
}

/** Fat mass from weight and %BF, kg. */
export function fatMassOf(weightKg: number, bodyFatPct: number): number {
  requirePositive(weightKg, 'weight_kg');
  const pct = requireFinite(bodyFatPct, 'body_fat_percentage');
  if (pct <= 0 || pct >= 100) {
    throw new DomainError('invalid_body_fat', 'Body fat must be between 0 and 100 %.', 'invalid', 'body_fat_percentage');
  }
  return (weightKg * pct) / 100;
}

export interface CompositionChange {
  weightChangeKg: number;
  fatChangeKg: number;
  leanChangeKg: number;
}

/**
 * Solves for u = ln(FM_after / FM_before) where `f(u)` is increasing and convex (the equation of
 * compositionChangeForEnergy is), so Newton's method from u = 0 converges without leaving the domain.
 */
function solveIncreasingConvex(f: (u: number) => number, df: (u: number) => number): number {
  let u = 0;
  for (let i = 0; i < 100; i++) {
    const step = f(u) / df(u);
    u -= step;
    if (Math.abs(step) < 1e-12) return u;
  }
  return u;
}

/**
 * The weight change that stores (positive) or releases (negative) `energyKcal`, split along
 * Forbes' curve as Hall (2007) integrated it for changes of any size (the lean change is
 * 10.4 · ln(FM_after / FM)) and priced at Hall's densities: solves ρF · ΔFM + ρL · 10.4 ·
 * ln(FM_after / FM) = energy (Hall's closed form uses the Lambert W function; Newton is simpler).
 * For small changes the fat share tends to fatFraction(FM). Used to step the projection a week at a time.
 */
export function compositionChangeForEnergy(fatMassKg: number, energyKcal: number): CompositionChange {
  const fat = requireFatMass(fatMassKg);
  const energy = requireFinite(energyKcal, 'energy_kcal');
  const lean = FORBES_CONSTANT_KG * LEAN_TISSUE_KCAL_PER_KG;
  const u = solveIncreasingConvex(
    (x) => FAT_TISSUE_KCAL_PER_KG * fat * Math.expm1(x) + lean * x - energy,
    (x) => FAT_TISSUE_KCAL_PER_KG * fat * Math.exp(x) + lean,
  );
  const fatChangeKg = fat * Math.expm1(u);
  const leanChangeKg = FORBES_CONSTANT_KG * u;
  return { weightChangeKg: fatChangeKg + leanChangeKg, fatChangeKg, leanChangeKg };
}
