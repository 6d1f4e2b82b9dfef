/**
 * Wilson's score interval for a proportion (Wilson 1927; Newcombe 1998, method 3), the
 * interval R's `prop.test(x, n, correct = FALSE)` and statsmodels'
 * `proportion_confint(method = 'wilson')` give. Chosen over the textbook p ± z·√(p(1−p)/n)
 * because it stays inside 0…1 and does not collapse to a point at 0/n or n/n, which is
 * exactly where a handful of readings in a cell sits. Table-tested in test/unit/grid-wilson.test.ts.
 */

/** A proportion with its interval, all in 0…1. */
export interface Interval {
  low: number;
  high: number;
}

export interface Proportion extends Interval {
  successes: number;
  trials: number;
  /** successes / trials. */
  rate: number;
}

/** Where an interval lies against a threshold: wholly above it, wholly below it, or across it. */
export type Side = 'above' | 'below' | 'straddles';

/**
 * The standard normal quantile Φ⁻¹(p), 0 < p < 1, by Acklam's rational approximation
 * (relative error below 1.15e-9), so that any confidence level can be set.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`A probability strictly between 0 and 1 is needed, got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    return (
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
    );
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
}

// The last level asked and its z: a process judges at one level, ~10 intervals per cell of a
// département's ~11,000 (normalQuantile's coefficient arrays were made for each).
let lastConfidence = Number.NaN;
let lastZ = Number.NaN;

/** The two-sided z of a confidence level (0.95 → 1.959964). */
export function zFor(confidence: number): number {
  if (confidence === lastConfidence) return lastZ;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`A confidence level strictly between 0 and 1 is needed, got ${confidence}`);
  lastZ = normalQuantile(1 - (1 - confidence) / 2);
  lastConfidence = confidence;
  return lastZ;
}

/** Wilson's interval of `successes` out of `trials` at `confidence` (two-sided); [0, 1] when trials is 0. */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval {
  if (!(trials >= 0 && successes >= 0 && successes <= trials)) throw new RangeError(`Not a proportion: ${successes} / ${trials}`);
  if (trials === 0) return { low: 0, high: 1 };
  const z = zFor(confidence);
  const z2 = z * z;
  const p = successes / trials;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // At 0/n and n/n the bound is exactly 0 or 1; the formula may miss it by a rounding error.
  return { low: successes === 0 ? 0 : Math.max(0, centre - half), high: successes === trials ? 1 : Math.min(1, centre + half) };
}

/** A proportion with its Wilson interval; undefined when nothing was tried (no rate to speak of). */
export function proportion(successes: number, trials: number, confidence = 0.95): Proportion | undefined {
  if (trials === 0) return undefined;
  return { successes, trials, rate: successes / trials, ...wilsonInterval(successes, trials, confidence) };
}

/**
 * Whether an interval clears a threshold. A bound equal to the threshold does not clear it:
 * « au moins 50 % » is only established when even the low bound is above 50 %.
 */
export function sideOf(interval: Interval, threshold: number): Side {
  if (interval.low > threshold) return 'above';
  if (interval.high < threshold) return 'below';
  return 'straddles';
}

/**
 * How many more trials would decide a proportion that straddles `threshold`: the smallest m
 * such that, if the m new trials succeed at the current rate (successes kept fractional:
 * « at this rate »), the interval of (successes + m·rate) / (trials + m) clears the threshold.
 * With no trials yet the rate is unknown: the count assumes every new trial agrees (the least
 * any decision needs). Undefined when no number up to `cap` would do (a rate on the threshold
 * never clears it): say « plus de cap ». 0 when it is already decided.
 */
export function trialsToDecide(successes: number, trials: number, threshold: number, confidence = 0.95, cap = 1000): number | undefined {
  if (sideOf(wilsonInterval(successes, trials, confidence), threshold) !== 'straddles') return 0;
  const rate = trials === 0 ? 1 : successes / trials;
  const clears = (m: number) => sideOf(wilsonAt(rate, trials + m, confidence), threshold) !== 'straddles';
  if (!clears(cap)) {
    // With no evidence, either direction decides: try unanimous failures too.
    if (trials === 0) return trialsToDecide(0, 0, 1 - threshold, confidence, cap);
    return undefined;
  }
  // The interval narrows as m grows at a fixed rate: binary search the first m that clears.
  let low = 1;
  let high = cap;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (clears(mid)) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Wilson's interval for a rate observed over n trials (the rate need not be a whole count's). */
function wilsonAt(rate: number, n: number, confidence: number): Interval {
  const z = zFor(confidence);
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (rate + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
