import { describe, expect, it } from 'vitest';
import { adaptingPerson, gaussian, mulberry32, steadyPerson, syntheticPerson } from '../support/syntheticPerson.ts';

const sd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

describe('the synthetic person (test/support)', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(steadyPerson(7)).toEqual(steadyPerson(7));
    expect(steadyPerson(7).weights).not.toEqual(steadyPerson(8).weights);
    const r = mulberry32(1);
    expect([r(), r()]).toEqual([0.6270739405881613, 0.002735721180215478]); // the reference mulberry32 stream for seed 1
  });

  it('has the noise it claims: intake ±300 kcal and water ±0.5 kg (SD)', () => {
    const p = steadyPerson(3, { days: 365 });
    expect(sd(p.days.map((d) => d.eatenKcal))).toBeGreaterThan(270);
    expect(sd(p.days.map((d) => d.eatenKcal))).toBeLessThan(330);
    const water = p.days.map((d) => (d.weighInKg as number) - d.trueWeightKg);
    expect(sd(water)).toBeGreaterThan(0.45);
    expect(sd(water)).toBeLessThan(0.55);
    const g = mulberry32(9);
    expect(Math.abs(sd(Array.from({ length: 5000 }, () => gaussian(g))) - 1)).toBeLessThan(0.03);
  });

  it("moves its true weight by energy balance, in Forbes' proportions", () => {
    const p = steadyPerson(1);
    const first = p.days[0];
    const last = p.days.at(-1);
    if (!first || !last) throw new Error('no days');
    expect(first.trueWeightKg).toBe(85);
    expect(last.fatMassKg + last.leanMassKg).toBeCloseTo(last.trueWeightKg, 10);
    // ~500 kcal/day for 89 days at ~6,400 kcal/kg: about 7 kg, of which ~60 % fat
    const lost = first.trueWeightKg - last.trueWeightKg;
    expect(lost).toBeGreaterThan(6);
    expect(lost).toBeLessThan(8);
    expect((first.fatMassKg - last.fatMassKg) / lost).toBeGreaterThan(0.55);
    expect((first.fatMassKg - last.fatMassKg) / lost).toBeLessThan(0.65);
  });

  it('drifts the adapting person from 2,600 to 2,400 kcal, and can leave days out', () => {
    const p = adaptingPerson(2);
    expect(p.days[0]?.trueExpenditureKcal).toBe(2600);
    expect(p.days.at(-1)?.trueExpenditureKcal).toBe(2400);
    const gappy = syntheticPerson({ seed: 2, missingWeighInRate: 0.2, missingIntakeRate: 0.2 });
    expect(gappy.weights.length).toBeLessThan(80);
    expect(gappy.intake.length).toBeLessThan(80);
    // the same seed keeps the same body whatever is left out
    expect(gappy.days.map((d) => d.trueWeightKg)).toEqual(steadyPerson(2).days.map((d) => d.trueWeightKg));
  });

  it('logs some days only partly, marked incomplete when asked, keeping everything else of the seed', () => {
    const whole = steadyPerson(4);
    const partly = steadyPerson(4, { partialDayRate: 1 / 3, marksPartialDays: true });
    const partial = partly.days.filter((d) => !d.loggedCompletely);
    expect(partial.length).toBeGreaterThan(20);
    expect(partial.length).toBeLessThan(40);
    for (const d of partial) expect(d.loggedKcal).toBe(Math.round(0.55 * d.eatenKcal));
    expect(partly.intake.filter((d) => d.complete === false).map((d) => d.date)).toEqual(partial.map((d) => d.date));
    expect(steadyPerson(4, { partialDayRate: 1 / 3 }).intake.every((d) => !('complete' in d))).toBe(true);
    expect(partly.weights).toEqual(whole.weights);
    expect(partly.days.map((d) => d.eatenKcal)).toEqual(whole.days.map((d) => d.eatenKcal));
  });
});
