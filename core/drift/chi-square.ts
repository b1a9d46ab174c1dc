import { gammaQ } from './gamma';

export interface TestResult {
  statistic: number;
  pvalue: number;
}

/**
 * Pearson's chi-square goodness of fit of observed counts against expected frequencies (any scale:
 * they are rescaled to the observed total, as scipy.stats.chisquare(f_obs, f_exp) expects them to be).
 * Degrees of freedom = categories − 1. A category expected with zero frequency but observed gives an
 * infinite statistic and p = 0, as scipy does.
 */
export function chiSquare(observed: ArrayLike<number>, expectedFrequencies: ArrayLike<number>): TestResult {
  const k = observed.length;
  if (k !== expectedFrequencies.length) throw new Error(`chiSquare: ${k} observed categories but ${expectedFrequencies.length} expected`);
  let total = 0;
  let expectedTotal = 0;
  for (let i = 0; i < k; i++) {
    total += observed[i]!;
    expectedTotal += expectedFrequencies[i]!;
  }
  if (k < 2 || total <= 0 || expectedTotal <= 0) return { statistic: NaN, pvalue: NaN };
  const scale = total / expectedTotal;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const e = expectedFrequencies[i]! * scale;
    const d = observed[i]! - e;
    statistic += (d * d) / e;
  }
  return { statistic, pvalue: chiSquareSf(statistic, k - 1) };
}

/** Survival function of the chi-square distribution with `dof` degrees of freedom. */
export function chiSquareSf(x: number, dof: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x <= 0) return 1;
  return gammaQ(dof / 2, x / 2);
}
