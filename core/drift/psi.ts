import { binIndex, type NumericFeatureProfile } from './profile';

/** Empty bins are replaced with this share, as Evidently does, so ln() stays finite. */
export const PSI_EPSILON = 0.0001;
export const PSI_WARN = 0.1;
export const PSI_DRIFT = 0.2;

/** Population stability index of current values against the reference's quantile bins: Σ (c − r)·ln(c / r). */
export function psi(reference: Pick<NumericFeatureProfile, 'quantiles' | 'histogram'>, current: ArrayLike<number>): number {
  const bins = reference.histogram.length;
  const counts = new Array<number>(bins).fill(0);
  let n = 0;
  for (let i = 0; i < current.length; i++) {
    const v = current[i]!;
    if (!Number.isFinite(v)) continue;
    counts[binIndex(reference.quantiles, v)]!++;
    n++;
  }
  if (n === 0) return NaN;
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const r = Math.max(reference.histogram[b]!, PSI_EPSILON);
    const c = Math.max(counts[b]! / n, PSI_EPSILON);
    total += (c - r) * Math.log(c / r);
  }
  return total;
}

export type PsiBand = 'stable' | 'warn' | 'drift';
export function psiBand(value: number): PsiBand {
  return value >= PSI_DRIFT ? 'drift' : value >= PSI_WARN ? 'warn' : 'stable';
}
