import type { CategoricalFeatureProfile, NumericFeatureProfile } from './profile-schema';
import { binIndex } from './quantiles';

/** Empty bins are replaced with this share, as Evidently does, so ln() stays finite. */
export const PSI_EPSILON = 0.0001;
export const PSI_WARN = 0.1;
export const PSI_DRIFT = 0.2;

/** Σ (c − r)·ln(c / r) over bins given as shares, each empty share replaced by PSI_EPSILON. */
export function psiFromShares(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  if (reference.length !== current.length) throw new Error(`psi: ${reference.length} reference bins against ${current.length}`);
  let total = 0;
  for (let b = 0; b < reference.length; b++) {
    const r = Math.max(reference[b]!, PSI_EPSILON);
    const c = Math.max(current[b]!, PSI_EPSILON);
    total += (c - r) * Math.log(c / r);
  }
  return total;
}

/** Current values per reference quantile bin, as shares; non-finite values are ignored. NaN when none are left. */
export function currentShares(reference: Pick<NumericFeatureProfile, 'quantiles' | 'edges'>, current: ArrayLike<number>): Float64Array {
  const cuts = reference.edges ?? reference.quantiles;
  const counts = new Float64Array(Math.max(cuts.length - 1, 0));
  if (counts.length === 0) return counts;
  let n = 0;
  for (let i = 0; i < current.length; i++) {
    const v = current[i]!;
    if (!Number.isFinite(v)) continue;
    counts[binIndex(cuts, v)]!++;
    n++;
  }
  for (let b = 0; b < counts.length; b++) counts[b] = n ? counts[b]! / n : NaN;
  return counts;
}

/** Population stability index of current values against the reference's decile bins. */
export function psi(reference: Pick<NumericFeatureProfile, 'quantiles' | 'edges' | 'histogram'>, current: ArrayLike<number>): number {
  const shares = currentShares(reference, current);
  if (shares.length === 0 || Number.isNaN(shares[0]!)) return NaN;
  return psiFromShares(reference.histogram, shares);
}

/** PSI over categories: the union of reference and current categories, unseen ones at PSI_EPSILON. */
export function categoricalPsi(
  reference: Pick<CategoricalFeatureProfile, 'frequencies'>,
  currentCounts: ReadonlyMap<string, number>,
): number {
  let n = 0;
  for (const c of currentCounts.values()) n += c;
  if (n === 0) return NaN;
  const categories = new Set([...Object.keys(reference.frequencies), ...currentCounts.keys()]);
  const r: number[] = [];
  const c: number[] = [];
  for (const k of categories) {
    r.push(reference.frequencies[k] ?? 0);
    c.push((currentCounts.get(k) ?? 0) / n);
  }
  return psiFromShares(r, c);
}

export type PsiBand = 'stable' | 'warn' | 'drift';
export function psiBand(value: number): PsiBand {
  return value >= PSI_DRIFT ? 'drift' : value >= PSI_WARN ? 'warn' : 'stable';
}
