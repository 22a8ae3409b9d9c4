import { describe, expect, it } from 'vitest';
import { exactDifference, formatFixed, fromHundredths, roundHalfEven, roundStored, toHundredths } from '../../src/domain/index.ts';

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
