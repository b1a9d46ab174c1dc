/** numpy's lerp: from the nearer end, so q = 1 returns the maximum exactly. */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Quantile q of ascending values with linear interpolation (numpy.quantile's default method). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return lerp(sorted[lo]!, sorted[hi]!, pos - lo);
}

/**
 * Index of the bin a value falls in, for bins between consecutive cut points (numpy.histogram's rule:
 * each bin includes its left edge; values beyond the outer cuts land in the outer bins).
 */
export function binIndex(cuts: ArrayLike<number>, value: number): number {
  let lo = 1;
  let hi = cuts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value < cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/** Counts of values per bin of `cuts` (length cuts.length − 1). */
export function binCounts(cuts: ArrayLike<number>, values: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(Math.max(cuts.length - 1, 0));
  if (counts.length === 0) return counts;
  for (let i = 0; i < values.length; i++) counts[binIndex(cuts, values[i]!)]!++;
  return counts;
}
