import { describe, expect, it } from 'vitest';
import {
  exactDifference,
  formatFixed,
  fromHundredths,
  roundHalfEven,
  roundHalfEvenExact,
  roundStored,
  toHundredths,
} from '../../src/domain/index.ts';

describe('roundHalfEven (Python 3 round on the double)', () => {
  it('rounds exact ties to even', () => {
    expect(roundHalfEven(0.5)).toBe(0);
    expect(roundHalfEven(1.5)).toBe(2);
    expect(roundHalfEven(2.5)).toBe(2);
    expect(roundHalfEven(-2.5)).toBe(-2);
    expect(roundHalfEven(3217.5)).toBe(3218);
    expect(roundHalfEven(1823.75)).toBe(1824);
    expect(roundHalfEven(0.125, 2)).toBe(0.12); // 0.125 is exact in binary
    expect(roundHalfEven(0.375, 2)).toBe(0.38);
  });

  it('rounds the binary value, not the decimal text (2.675 -> 2.67 as in Python)', () => {
    expect(roundHalfEven(2.675, 2)).toBe(2.67);
    expect(roundHalfEven(1.005, 2)).toBe(1); // 1.00499999…
    expect(roundHalfEven(24.084, 2)).toBe(24.08);
  });

  it('leaves integers, zero and non-finite values alone and never returns -0', () => {
    expect(roundHalfEven(1e21, 2)).toBe(1e21);
    expect(Object.is(roundHalfEven(-0.001, 2), 0)).toBe(true);
    expect(roundHalfEven(Number.NaN)).toBeNaN();
  });
});

describe("roundHalfEven's floating-point fast path", () => {
  it('agrees with the exact integer arithmetic everywhere, ties and their neighbours included', () => {
    // A fixed-seed generator: the same 600,000 cases every run.
    let seed = 20261127;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const disagreements: string[] = [];
    const check = (x: number, decimals: number) => {
      const fast = roundHalfEven(x, decimals);
      const exact = roundHalfEvenExact(x, decimals);
      if (!Object.is(fast, exact) && disagreements.length < 5) disagreements.push(`${x} to ${decimals}: ${fast} vs ${exact}`);
    };
    for (let i = 0; i < 100_000; i++) {
      const decimals = i % 5;
      check((random() - 0.3) * 10 ** (Math.floor(random() * 14) - 5), decimals);
      // Decimal ties k + ½·10^-d (rarely exact in binary), their negatives and the doubles beside them.
      const tie = Math.floor(random() * 1e7) / 10 ** decimals + 0.5 / 10 ** decimals;
      for (const x of [tie, -tie, tie * (1 + 2 ** -52), tie * (1 - 2 ** -52), tie * 2]) check(x, decimals);
    }
    for (const [x, decimals] of [
      [2.675, 2],
      [1.005, 2],
      [0.125, 2],
      [2.5, 0],
      [-2.5, 0],
      [2 ** 52 - 0.5, 0],
      [1e-310, 2],
      [1e21, 2],
      [0.045, 2],
    ] as const)
      check(x, decimals);
    expect(disagreements).toEqual([]);
  });
});

describe('roundStored (PostgreSQL numeric: half away from zero on the decimal text)', () => {
  it('rounds the decimal value half away from zero', () => {
    expect(roundStored(1.005)).toBe(1.01);
    expect(roundStored(-2.675)).toBe(-2.68);
    expect(roundStored(2.675)).toBe(2.68);
    expect(roundStored(0.125)).toBe(0.13);
    expect(roundStored(172.999)).toBe(173);
    expect(roundStored(1.2345, 3)).toBe(1.235);
  });

  it('keeps values that already fit and handles exponent notation', () => {
    expect(roundStored(24.09)).toBe(24.09);
    expect(roundStored(1e-7)).toBe(0);
    expect(roundStored(5e-3)).toBe(0.01);
    expect(roundStored(1.5e21)).toBe(1.5e21);
  });
});

describe('exact 2-dp arithmetic', () => {
  it('subtracts stored values exactly', () => {
    expect(23.55 - 24.09).not.toBe(-0.54);
    expect(exactDifference(23.55, 24.09)).toBe(-0.54);
    expect(exactDifference(10.5, 10.23)).toBe(0.27);
    expect(exactDifference(89.3, 90)).toBe(-0.7);
    expect(toHundredths(23.55)).toBe(2355);
    expect(fromHundredths(-54)).toBe(-0.54);
  });

  it('formats numbers with the same rounding', () => {
    expect(formatFixed(0.549, 1)).toBe('0.5');
    expect(formatFixed(0.7, 2)).toBe('0.70');
  });
});
