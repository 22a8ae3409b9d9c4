import { describe, expect, it } from 'vitest';
import {
  calculateBodyFat,
  type CalculationMethod,
  DomainError,
  jacksonPollock3,
  jacksonPollock7,
  measuredSiteFields,
  navyBodyFat,
  roundHalfEven,
  siriBodyFat,
} from '../../src/domain/index.ts';
import type { Sex, Sites } from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

const r2 = (x: number) => roundHalfEven(x, 2);
const SEVEN_MALE: Sites = { chestMm: 8, midaxillaryMm: 10, tricepMm: 9, subscapularMm: 12, abdomenMm: 18, suprailiacMm: 11, thighMm: 14 };
const SEVEN_FEMALE: Sites = {
  chestMm: 10,
  midaxillaryMm: 12,
  tricepMm: 14,
  subscapularMm: 13,
  abdomenMm: 16,
  suprailiacMm: 15,
  thighMm: 18,
};

// Reference values: Hodgdon & Beckett (1984), metric form, then Siri (1961), worked for these inputs;
// each density and its arithmetic is in docs/SCIENCE.md 12.1.
describe('US Navy, metric equations (docs/SCIENCE.md 12.1)', () => {
  it.each([
    [175, 95, 38, 24.09],
    [175, 90, 38, 20.66],
    [178, 75, 40, 5.94],
    [175, 75, 36, 10.23],
  ])('male h %d, waist %d, neck %d -> %d %%', (h, waist, neck, expected) => {
    expect(r2(navyBodyFat('male', h, { waistCm: waist, neckCm: neck }))).toBe(expected);
  });

  it.each([
    [165, 75, 32, 95, 27.43],
    [165, 80, 35, 100, 30.91],
  ])('female h %d, waist %d, neck %d, hip %d -> %d %%', (h, waist, neck, hip, expected) => {
    expect(r2(navyBodyFat('female', h, { waistCm: waist, neckCm: neck, hipCm: hip }))).toBe(expected);
  });

  // The inch form of the same equations is Hodgdon & Friedl (1999); fed centimetres it is off by
  // (86.010 − 70.041) × log10 2.54 = 6.46 points (docs/SCIENCE.md 12.1).
  it('is not the inch equation applied to centimetres (+6.46 points for men)', () => {
    const cmInInchForm = 86.01 * Math.log10(95 - 38) - 70.041 * Math.log10(175) + 36.76;
    expect(r2(cmInInchForm)).toBe(30.68);
    expect(r2(navyBodyFat('male', 175, { waistCm: 95, neckCm: 38 }))).toBe(24.09);
    // the same inch equation with inches agrees with the metric form to within 0.3 points
    const inches = 86.01 * Math.log10((95 - 38) / 2.54) - 70.041 * Math.log10(175 / 2.54) + 36.76;
    expect(cmInInchForm - inches).toBeCloseTo(6.46, 2);
    expect(Math.abs(inches - navyBodyFat('male', 175, { waistCm: 95, neckCm: 38 }))).toBeLessThan(0.3);
  });

  it('the check-ins of docs/SCIENCE.md 12.5: waist 95 -> 94.2 (neck 38) and 75 -> 75.3 (neck 36) at 175 cm', () => {
    expect(r2(navyBodyFat('male', 175, { waistCm: 94.2, neckCm: 38 }))).toBe(23.55);
    expect(r2(navyBodyFat('male', 175, { waistCm: 75.3, neckCm: 36 }))).toBe(10.5);
  });

  it('ignores the hip for men and skinfolds for everyone', () => {
    expect(r2(navyBodyFat('male', 175, { waistCm: 95, neckCm: 38, hipCm: 120, chestMm: 30 }))).toBe(24.09);
  });

  it('refuses a waist not above the neck (log of a non-positive number) with a 400', () => {
    const male = domainError(() => navyBodyFat('male', 175, { waistCm: 38, neckCm: 38 }));
    expect(male.kind).toBe('rejected');
    const female = domainError(() => navyBodyFat('female', 165, { waistCm: 10, hipCm: 10, neckCm: 25 }));
    expect(female.kind).toBe('rejected');
  });
});

// Reference values: Jackson & Pollock (1978) for men, Jackson, Pollock & Ward (1980) for women, then
// Siri (1961), worked for these inputs (sums, densities and arithmetic in docs/SCIENCE.md 12.1).
describe('Jackson–Pollock with Siri (docs/SCIENCE.md 12.1)', () => {
  it('3-site by sex', () => {
    expect(r2(jacksonPollock3('male', 30, { chestMm: 10, abdomenMm: 20, thighMm: 15 }))).toBe(13.61);
    expect(r2(jacksonPollock3('female', 28, { tricepMm: 15, suprailiacMm: 12, thighMm: 18 }))).toBe(18.94);
  });

  it('7-site with the sex-specific equations', () => {
    expect(r2(jacksonPollock7('male', 35, SEVEN_MALE))).toBe(12.64);
    expect(r2(jacksonPollock7('female', 32, SEVEN_FEMALE))).toBe(20.42);
  });

  it('matches the densities of docs/SCIENCE.md 12.1 (D to 6 dp, through Siri)', () => {
    // Siri's inverse, D = 495 / (%BF + 450), recovers each vector's density.
    const density = (bodyFatPct: number) => roundHalfEven(495 / (bodyFatPct + 450), 6);
    expect(density(jacksonPollock3('male', 30, { chestMm: 10, abdomenMm: 20, thighMm: 15 }))).toBe(1.067697);
    expect(density(jacksonPollock3('female', 28, { tricepMm: 15, suprailiacMm: 12, thighMm: 18 }))).toBe(1.055572);
    expect(density(jacksonPollock7('male', 35, SEVEN_MALE))).toBe(1.06994);
    expect(density(jacksonPollock7('female', 32, SEVEN_FEMALE))).toBe(1.052242);
  });

  it("refuses a skinfold sum past the equation's lowest density: more fat would read as leaner", () => {
    // 7-site men: the quadratic turns at 0.00043499 / (2 × 0.00000055) = 395.4 mm; 7 × 70 mm is allowed.
    const sevenAt = (mm: number): Sites => Object.fromEntries(Object.keys(SEVEN_MALE).map((site) => [site, mm]));
    expect(r2(jacksonPollock7('male', 30, sevenAt(56)))).toBe(36.56); // 392 mm: still rising
    const past = domainError(() => jacksonPollock7('male', 30, sevenAt(70)));
    expect(past).toMatchObject({ code: 'skinfold_sum_out_of_range', kind: 'rejected' });
    expect(past.message).toContain('490 mm');
    expect(domainError(() => jacksonPollock7('female', 30, sevenAt(60))).code).toBe('skinfold_sum_out_of_range'); // 420 > 419.4
    expect(() => jacksonPollock7('female', 30, sevenAt(59))).not.toThrow();
    // Three sites of at most 70 mm stay below both 3-site turning points (258 and 216 mm).
    expect(() => jacksonPollock3('female', 30, { tricepMm: 70, suprailiacMm: 70, thighMm: 70 })).not.toThrow();
  });

  it('Siri: 495 / D − 450 (D = 1.067697 -> 13.61)', () => {
    expect(r2(siriBodyFat(1.067697))).toBe(13.61);
    expect(siriBodyFat(1.1)).toBeCloseTo(0, 10);
  });
});

describe('calculateBodyFat', () => {
  const base = { heightCm: 175, ageYears: 35 };

  it('rounds half-even to 2 dp and dispatches by method', () => {
    expect(calculateBodyFat({ ...base, method: 'navy', sex: 'male', sites: { waistCm: 95, neckCm: 38 } })).toBe(24.09);
    expect(
      calculateBodyFat({ ...base, method: '3_site', sex: 'male', ageYears: 30, sites: { chestMm: 10, abdomenMm: 20, thighMm: 15 } }),
    ).toBe(13.61);
    expect(calculateBodyFat({ ...base, method: '7_site', sex: 'female', ageYears: 32, sites: SEVEN_FEMALE })).toBe(20.42);
    expect(
      calculateBodyFat({ method: 'navy', sex: 'female', heightCm: 165, ageYears: 30, sites: { waistCm: 75, neckCm: 32, hipCm: 95 } }),
    ).toBe(27.43);
  });

  it('names missing Navy sites by wire name (422, field body)', () => {
    const error = domainError(() => calculateBodyFat({ ...base, method: 'navy', sex: 'male', sites: { waistCm: 95, neckCm: null } }));
    expect(error).toMatchObject({ kind: 'invalid', field: 'body', code: 'missing_sites' });
    expect(error.message).toContain('neck_cm');
  });

  it('gives a 400 to a woman measured with Navy and no hip (docs/DESIGN.md, "Which check answers first")', () => {
    const error = domainError(() => calculateBodyFat({ ...base, method: 'navy', sex: 'female', sites: { waistCm: 75, neckCm: 32 } }));
    expect(error).toMatchObject({ kind: 'rejected', code: 'hip_required' });
  });

  it("needs a complete 3-site set (422, field body), and the one of the user's sex", () => {
    const none = domainError(() => calculateBodyFat({ ...base, method: '3_site', sex: 'male', sites: { chestMm: 10 } }));
    expect(none).toMatchObject({ kind: 'invalid', field: 'body' });
    expect(none.message).toContain('abdomen_mm');
    expect(none.message).toContain('thigh_mm');
    const wrongSet = domainError(() =>
      calculateBodyFat({ ...base, method: '3_site', sex: 'male', sites: { tricepMm: 15, suprailiacMm: 12, thighMm: 18 } }),
    );
    expect(wrongSet).toMatchObject({ kind: 'invalid', code: 'wrong_site_set', field: undefined });
    expect(wrongSet.message).toContain('chest_mm');
    // A woman's set is triceps, suprailiac and thigh (Jackson, Pollock & Ward 1980): the men's set names what she lacks.
    const womansSet = domainError(() =>
      calculateBodyFat({ ...base, method: '3_site', sex: 'female', sites: { chestMm: 10, abdomenMm: 20, thighMm: 15 } }),
    );
    expect(womansSet).toMatchObject({ kind: 'invalid', code: 'wrong_site_set' });
    expect(womansSet.message).toContain('needs tricep_mm, suprailiac_mm.');
  });

  it('lists every missing 7-site site', () => {
    const error = domainError(() => calculateBodyFat({ ...base, method: '7_site', sex: 'male', sites: { chestMm: 8, thighMm: 14 } }));
    expect(error).toMatchObject({ kind: 'invalid', field: 'body' });
    for (const name of ['midaxillary_mm', 'tricep_mm', 'subscapular_mm', 'abdomen_mm', 'suprailiac_mm']) {
      expect(error.message).toContain(name);
    }
    expect(error.message).not.toContain('chest_mm');
  });

  it('refuses implausible results with "Body fat" and "too low" / "too high" (400)', () => {
    // 178 cm, waist 70, neck 40: 0.64 % for a man
    const low = domainError(() =>
      calculateBodyFat({ ...base, heightCm: 178, method: 'navy', sex: 'male', sites: { waistCm: 70, neckCm: 40 } }),
    );
    expect(low).toMatchObject({ kind: 'rejected', code: 'body_fat_too_low' });
    expect(low.message).toContain('Body fat');
    expect(low.message).toContain('body fat');
    expect(low.message).toContain('too low');
    const high = domainError(() => calculateBodyFat({ ...base, method: 'navy', sex: 'male', sites: { waistCm: 200, neckCm: 30 } }));
    expect(high).toMatchObject({ kind: 'rejected', code: 'body_fat_too_high' });
    expect(high.message).toContain('too high');
  });

  it('applies the female lower bound of 8 %', () => {
    // 3-site woman with tiny skinfolds: 7.35 %
    const error = domainError(() =>
      calculateBodyFat({ ...base, method: '3_site', sex: 'female', ageYears: 20, sites: { tricepMm: 5, suprailiacMm: 4, thighMm: 6 } }),
    );
    expect(error.code).toBe('body_fat_too_low');
  });
});

// The web app asks for these sites (web/src/methods.ts, through the generated web/src/api/generated/rules.ts).
describe('measuredSiteFields: the sites each calculation needs, as the wire names them', () => {
  const VALUES: Record<string, number> = {
    waist_cm: 85,
    neck_cm: 38,
    hip_cm: 98,
    chest_mm: 10,
    abdomen_mm: 20,
    thigh_mm: 15,
    tricep_mm: 15,
    suprailiac_mm: 12,
    midaxillary_mm: 10,
    subscapular_mm: 12,
  };
  const SITE_REFUSALS = ['missing_sites', 'hip_required', 'wrong_site_set'];
  const toSites = (fields: string[]): Sites =>
    Object.fromEntries(fields.map((field) => [field.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase()), VALUES[field]]));
  /** The code of the site check that refuses exactly these fields, or null when the body fat is computed. */
  const siteRefusal = (method: CalculationMethod, sex: Sex, fields: string[]): string | null => {
    try {
      calculateBodyFat({ method, sex, heightCm: 175, ageYears: 35, sites: toSites(fields) });
      return null;
    } catch (error) {
      if (error instanceof DomainError && SITE_REFUSALS.includes(error.code)) return error.code;
      throw error;
    }
  };
  const table = measuredSiteFields();

  it.each((['navy', '3_site', '7_site'] as const).flatMap((method) => (['male', 'female'] as const).map((sex) => [method, sex] as const)))(
    '%s, %s: the listed sites suffice, and each is needed',
    (method, sex) => {
      const fields = table[method][sex];
      expect(siteRefusal(method, sex, fields)).toBeNull();
      for (const left of fields)
        expect(
          siteRefusal(
            method,
            sex,
            fields.filter((field) => field !== left),
          ),
        ).not.toBeNull();
    },
  );
});
