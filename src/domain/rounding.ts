// Two rounding rules coexist on purpose (docs/DESIGN.md, 'Rounding', says why):
// - half to even on the exact binary value (as Python's round(); anyone can recompute the digits), which
//   decides BMR/TDEE integers, estimated weeks and the 2-dp body fat;
// - PostgreSQL numeric storage (half away from zero, on the decimal value), which decides what a
//   response shows for a stored number.

const view = new DataView(new ArrayBuffer(8));
/** 10^0 … 10^20, each an exact double (10^n is exact up to n = 22). */
const POWERS_OF_TEN = Array.from({ length: 21 }, (_, n) => 10 ** n);

/** |x| = mantissa · 2^exponent, exactly, for a finite double. */
function exactBinary(x: number): { mantissa: bigint; exponent: number } {
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  if (biasedExponent === 0) return { mantissa: fraction, exponent: -1074 }; // subnormal
  return { mantissa: fraction | (1n << 52n), exponent: biasedExponent - 1075 };
}

function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) {
    throw new RangeError(`decimals must be an integer in 0..20, got ${decimals}`);
  }
}

/** sign · q / 10^decimals as the nearest double (correctly rounded by the number parser). */
function scaledToNumber(negative: boolean, q: bigint, decimals: number): number {
  if (q === 0n) return 0; // never -0: it would leak into comparisons and test equality
  const value = Number(`${q}e-${decimals}`);
  return negative ? -value : value;
}

/**
 * Python 3 `round(x, decimals)`: the decimal nearest to the exact binary value of x, ties to
 * even. So 2.675 -> 2.67 (its double is 2.67499…), 0.125 -> 0.12, 2.5 -> 2, 3217.5 -> 3218.
 */
export function roundHalfEven(x: number, decimals = 0): number {
  checkDecimals(decimals);
  if (!Number.isFinite(x)) return x;
  if (x === 0) return 0;
  // Fast path (the projection rounds a few thousand values a goal; the exact path took half of
  // its time). |x|·10^d in floating point is within half an ulp, |x|·10^d·2^-53, of the exact
  // product. Unless that product is within this error of a tie (….5), the float's nearest integer
  // q is the exact product's, and q / 10^d (both exact doubles, d ≤ 20) is correctly rounded by
  // IEEE division, as the exact path's decimal parse is. Near a tie the exact path decides.
  const power = POWERS_OF_TEN[decimals] as number;
  const scaled = Math.abs(x) * power;
  if (scaled < 2 ** 52) {
    const whole = Math.floor(scaled);
    const fraction = scaled - whole;
    if (Math.abs(fraction - 0.5) > scaled * 2 ** -50) {
      const q = fraction > 0.5 ? whole + 1 : whole;
      if (q === 0) return 0;
      return x < 0 ? -(q / power) : q / power;
    }
  }
  return roundHalfEvenExact(x, decimals);
}

/** roundHalfEven in exact integer arithmetic on the binary value (its reference, and its path near ties). */
export function roundHalfEvenExact(x: number, decimals = 0): number {
  checkDecimals(decimals);
  if (!Number.isFinite(x)) return x;
  if (x === 0) return 0;
  const { mantissa, exponent } = exactBinary(x);
  if (exponent >= 0) return x; // an integer already
  const numerator = mantissa * 10n ** BigInt(decimals);
  const denominator = 1n << BigInt(-exponent);
  let q = numerator / denominator;
  const twiceRemainder = (numerator % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && q % 2n === 1n)) q += 1n;
  return scaledToNumber(x < 0, q, decimals);
}

/**
 * What PostgreSQL `numeric(p, decimals)` stores for a JS number: the driver sends the shortest
 * round-trip string, and numeric rounds that decimal half away from zero. So 1.005 -> 1.01 and
 * -2.675 -> -2.68 (unlike roundHalfEven).
 */
export function roundStored(x: number, decimals = 2): number {
  checkDecimals(decimals);
  if (!Number.isFinite(x)) return x;
  if (x === 0) return 0;
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(x)));
  if (!match) throw new RangeError(`cannot read ${x} as a decimal`);
  const fraction = match[2] ?? '';
  const digits = BigInt(`${match[1]}${fraction}`);
  const scale = fraction.length - Number(match[3] ?? '0'); // |x| = digits · 10^-scale
  if (scale <= decimals) return x;
  const divisor = 10n ** BigInt(scale - decimals);
  let q = digits / divisor;
  if ((digits % divisor) * 2n >= divisor) q += 1n;
  return scaledToNumber(x < 0, q, decimals);
}

/** A stored 2-dp value as an exact integer count of hundredths, for exact differences. */
export function toHundredths(x: number): number {
  return Math.round(roundStored(x, 2) * 100);
}

/** Inverse of toHundredths: the double nearest to hundredths / 100 (so -54 -> -0.54). */
export function fromHundredths(hundredths: number): number {
  return hundredths / 100 + 0; // + 0 turns -0 into 0
}

/** a − b for 2-dp values, exactly (23.55 − 24.09 = −0.54, not −0.5399999999999991). */
export function exactDifference(a: number, b: number): number {
  return fromHundredths(toHundredths(a) - toHundredths(b));
}

/** Fixed-point text for messages, rounded like the stored numbers it describes. */
export function formatFixed(x: number, decimals: number): string {
  return roundHalfEven(x, decimals).toFixed(decimals);
}
