// Ordinary least squares of y on x, with the slope's standard error, for the rates and the
// expenditure window. rates.ts fits BodyPoints against Date instants; this one takes plain
// numbers (day numbers), which is what daily series need.

export interface LineFit {
  /** change of y per unit of x */
  slope: number;
  /** fitted y at x = 0 */
  intercept: number;
  /** standard error of the slope from the residuals; null with fewer than 3 points */
  slopeSe: number | null;
  /** residual standard deviation (n − 2 degrees of freedom); null with fewer than 3 points */
  residualSd: number | null;
  n: number;
}

/** The least-squares line; null with fewer than 2 points or when every x is the same. */
export function leastSquaresLine(xs: readonly number[], ys: readonly number[]): LineFit | null {
  if (xs.length !== ys.length) throw new RangeError(`leastSquaresLine: ${xs.length} xs against ${ys.length} ys`);
  const n = xs.length;
  if (n < 2) return null;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += xs[i] as number;
    sumY += ys[i] as number;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - meanX;
    sxx += dx * dx;
    sxy += dx * ((ys[i] as number) - meanY);
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  if (n < 3) return { slope, intercept, slopeSe: null, residualSd: null, n };
  let rss = 0;
  for (let i = 0; i < n; i++) rss += ((ys[i] as number) - intercept - slope * (xs[i] as number)) ** 2;
  const residualSd = Math.sqrt(rss / (n - 2));
  return { slope, intercept, slopeSe: residualSd / Math.sqrt(sxx), residualSd, n };
}
