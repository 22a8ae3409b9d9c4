import { DomainError, requireFinite, requirePositive } from './errors.ts';
import { roundHalfEven } from './rounding.ts';
import type { CalculationMethod, Sex } from './types.ts';

/** Circumferences in cm, skinfolds in mm; null or absent = not measured. */
export interface Sites {
  waistCm?: number | null;
  neckCm?: number | null;
  hipCm?: number | null;
  chestMm?: number | null;
  abdomenMm?: number | null;
  thighMm?: number | null;
  tricepMm?: number | null;
  suprailiacMm?: number | null;
  midaxillaryMm?: number | null;
  subscapularMm?: number | null;
}
type Site = keyof Sites;

// Jackson & Pollock 1978 (men); Jackson, Pollock & Ward 1980 (women).
const THREE_SITE: Record<Sex, Site[]> = {
  male: ['chestMm', 'abdomenMm', 'thighMm'],
  female: ['tricepMm', 'suprailiacMm', 'thighMm'],
};
const SEVEN_SITE: Site[] = ['chestMm', 'midaxillaryMm', 'tricepMm', 'subscapularMm', 'abdomenMm', 'suprailiacMm', 'thighMm'];
// Hodgdon & Beckett 1984: waist and neck, and the hip for women.
const NAVY_TAPE: Site[] = ['waistCm', 'neckCm'];

/** The sites each method measures, by sex (docs/SCIENCE.md 1). */
const MEASURED_SITES: Record<CalculationMethod, Record<Sex, Site[]>> = {
  navy: { male: NAVY_TAPE, female: [...NAVY_TAPE, 'hipCm'] },
  '3_site': THREE_SITE,
  '7_site': { male: SEVEN_SITE, female: SEVEN_SITE },
};

/** The sites each method needs, by sex, in the order they are taken, as the wire names them (`waist_cm`). */
export function measuredSiteFields(): Record<CalculationMethod, Record<Sex, string[]>> {
  const bySex = (sites: Record<Sex, Site[]>) => ({ male: sites.male.map(wireName), female: sites.female.map(wireName) });
  return { navy: bySex(MEASURED_SITES.navy), '3_site': bySex(MEASURED_SITES['3_site']), '7_site': bySex(MEASURED_SITES['7_site']) };
}

/** Plausible results (docs/SCIENCE.md 1.3); outside them the measurement is refused with a 400. */
const PLAUSIBLE_BODY_FAT: Record<Sex, { min: number; max: number }> = {
  male: { min: 5, max: 50 },
  female: { min: 8, max: 50 },
};

/** waistCm -> waist_cm: errors name fields as the client sent them. */
function wireName(site: Site): string {
  return site.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function isPresent(value: number | null | undefined): value is number {
  return value !== null && value !== undefined;
}

function missingSites(sites: Sites, wanted: Site[]): Site[] {
  return wanted.filter((site) => !isPresent(sites[site]));
}

function missingSitesError(method: CalculationMethod, missing: Site[], field: string | undefined): DomainError {
  const names = missing.map(wireName).join(', ');
  return new DomainError('missing_sites', `The ${method} method needs ${names}.`, 'invalid', field);
}

/** The measured value of a site, or a 422 naming it. */
function site(sites: Sites, name: Site, method: CalculationMethod): number {
  const value = sites[name];
  if (!isPresent(value)) throw missingSitesError(method, [name], 'body');
  return requirePositive(value, wireName(name));
}

function sumOfSites(sites: Sites, names: Site[], method: CalculationMethod): number {
  return names.reduce((sum, name) => sum + site(sites, name, method), 0);
}

/** Siri (1961): %BF from body density. Brozek is deliberately not used (docs/SCIENCE.md 1). */
export function siriBodyFat(density: number): number {
  return 495 / density - 450;
}

/**
 * US Navy circumference method, Hodgdon & Beckett (1984), in its published METRIC form (docs/SCIENCE.md 1.1;
 * not the inch form of Hodgdon & Friedl 1999, which given centimetres is 6.46 points high for men). Unrounded.
 */
export function navyBodyFat(sex: Sex, heightCm: number, sites: Sites): number {
  requirePositive(heightCm, 'height_cm');
  const waist = site(sites, 'waistCm', 'navy');
  const neck = site(sites, 'neckCm', 'navy');
  if (sex === 'male') {
    if (waist - neck <= 0) {
      throw new DomainError('navy_waist_not_above_neck', 'For the Navy method the waist must be larger than the neck.', 'rejected');
    }
    return siriBodyFat(1.0324 - 0.19077 * Math.log10(waist - neck) + 0.15456 * Math.log10(heightCm));
  }
  const hip = site(sites, 'hipCm', 'navy');
  if (waist + hip - neck <= 0) {
    throw new DomainError('navy_waist_hip_not_above_neck', 'For the Navy method waist plus hip must be larger than the neck.', 'rejected');
  }
  return siriBodyFat(1.29579 - 0.35004 * Math.log10(waist + hip - neck) + 0.221 * Math.log10(heightCm));
}

/** Jackson–Pollock 3-site body density, then Siri. The site set follows the person's sex. Unrounded. */
export function jacksonPollock3(sex: Sex, ageYears: number, sites: Sites): number {
  requireFinite(ageYears, 'age');
  const s = sumOfSites(sites, THREE_SITE[sex], '3_site');
  const [a, b, c, d] = sex === 'male' ? [1.10938, 0.0008267, 0.0000016, 0.0002574] : [1.0994921, 0.0009929, 0.0000023, 0.0001392];
  return siriBodyFat(quadraticDensity(s, a, b, c) - d * ageYears);
}

/** Jackson–Pollock 7-site body density with the sex-specific equations (men 1978, women 1980; docs/SCIENCE.md 1.2), then Siri. */
export function jacksonPollock7(sex: Sex, ageYears: number, sites: Sites): number {
  requireFinite(ageYears, 'age');
  const s = sumOfSites(sites, SEVEN_SITE, '7_site');
  const [a, b, c, d] = sex === 'male' ? [1.112, 0.00043499, 0.00000055, 0.00028826] : [1.097, 0.00046971, 0.00000056, 0.00012828];
  return siriBodyFat(quadraticDensity(s, a, b, c) - d * ageYears);
}

/**
 * a − b·S + c·S², refused past its lowest point S = b / 2c: beyond it more skinfold would read as a
 * denser, leaner body. The equations were fitted on sums far below it; the 7-site turning points
 * (395 mm men, 419 mm women) lie inside what seven sites of up to 70 mm allow (490 mm), the 3-site
 * ones (258, 216 mm) just outside three sites' 210 mm.
 */
function quadraticDensity(s: number, a: number, b: number, c: number): number {
  const lowest = b / (2 * c);
  if (s > lowest) {
    throw new DomainError(
      'skinfold_sum_out_of_range',
      `The skinfolds add up to ${roundHalfEven(s, 1)} mm, past the ${Math.floor(lowest)} mm up to which the Jackson–Pollock equation holds: use the navy tape method.`,
      'rejected',
    );
  }
  return a - b * s + c * s * s;
}

/** Site checks, in the order of docs/DESIGN.md, 'Which check answers first' (POST /api/v1/measurements). */
function checkSites(method: CalculationMethod, sex: Sex, sites: Sites): void {
  if (method === 'navy') {
    const missing = missingSites(sites, NAVY_TAPE);
    if (missing.length > 0) throw missingSitesError(method, missing, 'body');
    // With waist and neck there, only a woman's hip can be missing: a refusal of its own.
    if (missingSites(sites, MEASURED_SITES.navy[sex]).length > 0) {
      throw new DomainError('hip_required', 'The navy method needs hip_cm for women.', 'rejected', 'hip_cm');
    }
    return;
  }
  if (method === '7_site') {
    const missing = missingSites(sites, SEVEN_SITE);
    if (missing.length > 0) throw missingSitesError(method, missing, 'body');
    return;
  }
  const own = missingSites(sites, THREE_SITE[sex]);
  if (own.length === 0) return;
  const otherSex: Sex = sex === 'male' ? 'female' : 'male';
  if (missingSites(sites, THREE_SITE[otherSex]).length > 0) {
    // No complete set at all.
    throw missingSitesError(method, own, 'body');
  }
  // The other sex's set is complete, but the equation follows the user's sex (422, no errors[]).
  throw new DomainError('wrong_site_set', `The 3_site method for a ${sex} user needs ${own.map(wireName).join(', ')}.`, 'invalid');
}

function checkPlausible(sex: Sex, bodyFatPct: number): void {
  const { min, max } = PLAUSIBLE_BODY_FAT[sex];
  const who = sex === 'male' ? 'men' : 'women';
  const shown = bodyFatPct.toFixed(2);
  if (bodyFatPct < min) {
    throw new DomainError(
      'body_fat_too_low',
      `Body fat of ${shown} % is too low: the plausible body fat range for ${who} is ${min}–${max} %. Check the measurements.`,
      'rejected',
    );
  }
  if (bodyFatPct > max) {
    throw new DomainError(
      'body_fat_too_high',
      `Body fat of ${shown} % is too high: the plausible body fat range for ${who} is ${min}–${max} %. Check the measurements.`,
      'rejected',
    );
  }
}

/** %BF for a measurement, rounded to 2 dp (half-even: docs/DESIGN.md, 'Rounding') and checked for plausibility. */
export function calculateBodyFat(input: { method: CalculationMethod; sex: Sex; heightCm: number; ageYears: number; sites: Sites }): number {
  const { method, sex, heightCm, ageYears, sites } = input;
  checkSites(method, sex, sites);
  const raw =
    method === 'navy'
      ? navyBodyFat(sex, heightCm, sites)
      : method === '3_site'
        ? jacksonPollock3(sex, ageYears, sites)
        : jacksonPollock7(sex, ageYears, sites);
  if (!Number.isFinite(raw)) {
    throw new DomainError('body_fat_not_computable', 'Body fat cannot be computed from these measurements.', 'rejected');
  }
  const bodyFatPct = roundHalfEven(raw, 2);
  checkPlausible(sex, bodyFatPct);
  return bodyFatPct;
}
