import { describe, expect, it } from 'vitest';
import {
  FAT_TISSUE_KCAL_PER_KG,
  FORBES_CONSTANT_KG,
  LEAN_TISSUE_KCAL_PER_KG,
  compositionChangeForEnergy,
  energyDensityKcalPerKg,
  fatFraction,
  fatMassOf,
} from '../../src/domain/index.ts';
import { domainError } from './helpers.ts';

const MJ = (kcal: number) => (kcal * 4.184) / 1000;

describe('Forbes partitioning (Forbes 1987; Hall 2007)', () => {
  it("has half of a change lean at 10.4 kg of fat, the constant of Forbes' curve", () => {
    expect(FORBES_CONSTANT_KG).toBe(10.4);
    expect(fatFraction(10.4)).toBe(0.5);
    expect(fatFraction(17)).toBeCloseTo(17 / 27.4, 12); // 0.6204: an 85 kg man at 20 %
    expect(fatFraction(40)).toBeCloseTo(40 / 50.4, 12); // 0.7937: more fat, more of a loss is fat
  });

  it('splits a large loss along the curve: lean = 10.4·ln(FM_after/FM), the rest fat (Hall 2007)', () => {
    // 20 kg of fat, −10 kg: FM_after solves FM' + 10.4·ln FM' = 20 + 10.4·ln 20 − 10 = 41.1556 → 13.833698,
    // so −6.166 kg of fat and 10.4·ln(13.833698 / 20) = −3.834 kg of lean; that change holds this much energy:
    const fatAfterKg = 13.833698;
    const energyKcal =
      FAT_TISSUE_KCAL_PER_KG * (fatAfterKg - 20) + LEAN_TISSUE_KCAL_PER_KG * FORBES_CONSTANT_KG * Math.log(fatAfterKg / 20);
    const c = compositionChangeForEnergy(20, energyKcal);
    expect(c.fatChangeKg).toBeCloseTo(-6.166, 3);
    expect(c.leanChangeKg).toBeCloseTo(-3.834, 3);
    expect(c.weightChangeKg).toBeCloseTo(-10, 4);
    // 38 % lean, more than the 34 % (10.4/30.4) of the small-change slope, as Hall points out
    expect(c.leanChangeKg / c.weightChangeKg).toBeGreaterThan(10.4 / 30.4);
  });

  it('tends to the small-change fat share for small changes, gains as well as losses', () => {
    const loss = compositionChangeForEnergy(20, -5);
    expect(loss.fatChangeKg / loss.weightChangeKg).toBeCloseTo(fatFraction(20), 4);
    const gain = compositionChangeForEnergy(8, 5);
    expect(gain.fatChangeKg / gain.weightChangeKg).toBeCloseTo(fatFraction(8), 4);
    expect(compositionChangeForEnergy(20, 0)).toEqual({ weightChangeKg: 0, fatChangeKg: 0, leanChangeKg: 0 });
  });

  it('refuses a fat mass that is not positive', () => {
    expect(domainError(() => fatFraction(0))).toMatchObject({ code: 'not_positive', field: 'fat_mass_kg' });
    expect(domainError(() => fatMassOf(80, 100)).code).toBe('invalid_body_fat');
    expect(fatMassOf(85, 20)).toBe(17);
  });
});

describe('energy density of a weight change (Hall 2008)', () => {
  it('prices fat at 39.5 MJ/kg and lean tissue at 7.6 MJ/kg', () => {
    expect(FAT_TISSUE_KCAL_PER_KG).toBeCloseTo(9440.7, 1);
    expect(LEAN_TISSUE_KCAL_PER_KG).toBeCloseTo(1816.4, 1);
  });

  it('combines them by the Forbes fat share', () => {
    // 17 kg of fat: 0.62044 × 9,440.73 + 0.37956 × 1,816.44 = 5,857.4 + 689.5 = 6,546.8 kcal/kg
    expect(energyDensityKcalPerKg(17)).toBeCloseTo(6546.84, 2);
  });

  it("matches Hall's finding: the 3,500 kcal/lb rule (32.2 MJ/kg) fits above ~30 kg of fat, overstates for lean people", () => {
    expect(MJ(energyDensityKcalPerKg(30))).toBeCloseTo(31.29, 2); // within 3 % of 32.2
    expect(MJ(energyDensityKcalPerKg(40))).toBeCloseTo(32.92, 2);
    expect(MJ(energyDensityKcalPerKg(10))).toBeCloseTo(23.24, 2); // 28 % below the rule
  });

  it('turns an energy balance into fat and lean along the same curve', () => {
    // −3,500 kcal at 17 kg of fat: about −3,500 / 6,547 = −0.535 kg, 62 % of it fat
    const c = compositionChangeForEnergy(17, -3500);
    expect(c.weightChangeKg).toBeCloseTo(-0.5361, 4);
    expect(c.fatChangeKg * FAT_TISSUE_KCAL_PER_KG + c.leanChangeKg * LEAN_TISSUE_KCAL_PER_KG).toBeCloseTo(-3500, 6);
    expect(c.leanChangeKg).toBeCloseTo(FORBES_CONSTANT_KG * Math.log((17 + c.fatChangeKg) / 17), 10);
    expect(c.fatChangeKg / c.weightChangeKg).toBeCloseTo(fatFraction(17), 2);
  });
});
