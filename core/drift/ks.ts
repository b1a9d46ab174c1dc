import { finiteSorted } from './finite-sorted';
import { outerProbInsideMethod, probOutsideSquare } from './ks-exact';
import { kstwoSf } from './kolmogn';

// Two-sample two-sided Kolmogorov-Smirnov test, ported from scipy.stats.ks_2samp (scipy 1.10,
// alternative='two-sided'): method 'auto' is exact when both samples have at most 10,000 values and
// asymptotic otherwise; an exact computation that fails falls back to the asymptotic one, as in scipy.

export type KsMethod = 'auto' | 'exact' | 'asymp';
export interface KsResult {
  statistic: number;
  pvalue: number;
  /** The method actually used. */
  method: 'exact' | 'asymp';
}

const MAX_AUTO_N = 10000;
const INT32_MAX = 2147483647;

/** numpy's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The KS statistic: the largest gap between the two empirical CDFs, ties resolved as searchsorted(side='right'). */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  while (i < n1 || j < n2) {
    const x = Math.min(i < n1 ? a[i]! : Infinity, j < n2 ? b[j]! : Infinity);
    while (i < n1 && a[i]! <= x) i++;
    while (j < n2 && b[j]! <= x) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const minClipped = Math.min(Math.max(-minS, 0), 1);
  return minClipped > maxS ? minClipped : maxS;
}

/** scipy's _attempt_exact_2kssamp for the two-sided alternative. */
function attemptExact(n1: number, n2: number, g: number, d: number): { success: boolean; d: number; prob: number } {
  const lcm = Math.floor(n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dd = (h * 1.0) / lcm;
  if (h === 0) return { success: true, d: dd, prob: 1.0 };
  const prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
  if (!Number.isFinite(prob) || !(prob >= 0 && prob <= 1)) return { success: false, d: dd, prob };
  return { success: true, d: dd, prob };
}

/** KS test on samples already sorted ascending and free of NaN. */
export function ks2sampSorted(a: ArrayLike<number>, b: ArrayLike<number>, method: KsMethod = 'auto'): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  if (Math.min(n1, n2) === 0) throw new Error('ks2samp: both samples need at least one value');
  let d = ksStatisticSorted(a, b);
  const g = gcd(n1, n2);
  const n1g = Math.floor(n1 / g);
  const n2g = Math.floor(n2 / g);
  let mode: 'exact' | 'asymp';
  if (method === 'auto') mode = Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp';
  else if (method === 'exact') mode = n1g >= INT32_MAX / n2g ? 'asymp' : 'exact';
  else mode = 'asymp';

  let prob = NaN;
  if (mode === 'exact') {
    const exact = attemptExact(n1, n2, g, d);
    d = exact.d;
    prob = exact.prob;
    if (!exact.success) mode = 'asymp';
  }
  if (mode === 'asymp') {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    prob = kstwoSf(d, roundHalfEven(en));
  }
  return { statistic: d, pvalue: Math.min(Math.max(prob, 0), 1), method: mode };
}

/**
 * Two-sample KS test like scipy.stats.ks_2samp(a, b) (two-sided). Non-finite values and nulls are
 * dropped first; each sample is copied and sorted once.
 */
export function ks2samp(
  a: ArrayLike<number | null | undefined>,
  b: ArrayLike<number | null | undefined>,
  method: KsMethod = 'auto',
): KsResult {
  return ks2sampSorted(finiteSorted(a), finiteSorted(b), method);
}
