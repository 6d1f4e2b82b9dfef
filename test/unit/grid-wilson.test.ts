import { describe, expect, it } from 'vitest';
import { normalQuantile, proportion, sideOf, trialsToDecide, wilsonInterval, zFor } from '../../src/domain/grid/wilson.ts';

describe('normalQuantile', () => {
  // Standard normal quantiles as tabulated (e.g. R's qnorm): 1.644854, 1.959964, 2.575829.
  it.each([
    [0.95, 1.6448536269514722],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.5, 0],
    [0.01, -2.3263478740408408],
    [0.999, 3.090232306167813],
  ])('Φ⁻¹(%f) = %f', (p, expected) => {
    expect(normalQuantile(p)).toBeCloseTo(expected, 8);
  });

  it('gives the two-sided z of a confidence level', () => {
    expect(zFor(0.95)).toBeCloseTo(1.959964, 6);
    expect(zFor(0.9)).toBeCloseTo(1.644854, 6);
    expect(() => zFor(1)).toThrow(RangeError);
  });
});

describe('wilsonInterval against a reference table', () => {
  // Newcombe R.G. (1998), « Two-sided confidence intervals for the single proportion:
  // comparison of seven methods », Statistics in Medicine 17:857–872, Table I, method 3
  // (score interval without continuity correction, 95 %) — the same figures as R's
  // prop.test(x, n, correct = FALSE)$conf.int and statsmodels'
  // proportion_confint(x, n, method = 'wilson').
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [29, 29, 0.883, 1],
  ])('%i / %i → %f–%f', (x, n, low, high) => {
    const interval = wilsonInterval(x, n, 0.95);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('is exactly 0 or 1 at the ends, and the whole of 0…1 without trials', () => {
    expect(wilsonInterval(0, 5)).toMatchObject({ low: 0 });
    expect(wilsonInterval(5, 5)).toMatchObject({ high: 1 });
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('narrows as the confidence falls', () => {
    const at95 = wilsonInterval(8, 10, 0.95);
    const at80 = wilsonInterval(8, 10, 0.8);
    expect(at80.low).toBeGreaterThan(at95.low);
    expect(at80.high).toBeLessThan(at95.high);
  });

  it('refuses what is not a proportion', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(proportion(0, 0)).toBeUndefined();
    expect(proportion(33, 40)).toMatchObject({ successes: 33, trials: 40, rate: 0.825 });
  });
});

describe('sideOf', () => {
  it('clears a threshold only when the whole interval is past it', () => {
    expect(sideOf({ low: 0.51, high: 1 }, 0.5)).toBe('above');
    expect(sideOf({ low: 0, high: 0.49 }, 0.5)).toBe('below');
    expect(sideOf({ low: 0.5, high: 0.9 }, 0.5)).toBe('straddles');
    expect(sideOf({ low: 0.44, high: 1 }, 0.5)).toBe('straddles');
  });
});

describe('trialsToDecide', () => {
  it('is 0 when the interval already clears the threshold', () => {
    expect(trialsToDecide(4, 4, 0.5)).toBe(0);
    expect(trialsToDecide(0, 4, 0.5)).toBe(0);
  });

  it('is the smallest number of trials at the current rate that clears it', () => {
    // 3/3: 44–100 %; at a rate of 1, 4/4 is 51–100 %: one more.
    expect(trialsToDecide(3, 3, 0.5)).toBe(1);
    // 3/4 = 75 %: n = 16 (Wilson low bound 50.5 %) is the first total that clears 50 % at that rate, so 12 more.
    expect(trialsToDecide(3, 4, 0.5)).toBe(12);
    const at = (n: number) => wilsonInterval(0.75 * n, n).low;
    expect(at(16)).toBeGreaterThan(0.5);
    expect(at(15)).toBeLessThanOrEqual(0.5);
  });

  it('counts unanimous trials when nothing is known yet', () => {
    expect(trialsToDecide(0, 0, 0.5)).toBe(4);
  });

  it('is undefined when no number up to the cap would do: a rate on the threshold', () => {
    expect(trialsToDecide(2, 4, 0.5, 0.95, 1000)).toBeUndefined();
    expect(trialsToDecide(51, 100, 0.5, 0.95, 50)).toBeUndefined();
  });
});
