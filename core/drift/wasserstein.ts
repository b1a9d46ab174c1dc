import { finiteSorted } from './finite-sorted';

/**
 * First Wasserstein (earth mover's) distance between two 1-D samples: the area between their empirical
 * CDFs, as scipy.stats.wasserstein_distance(u, v) without weights.
 */
export function wasserstein(u: ArrayLike<number>, v: ArrayLike<number>): number {
  return wassersteinSorted(finiteSorted(u), finiteSorted(v));
}

/** The same for samples already sorted ascending (no copy, no allocation). */
export function wassersteinSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return NaN;
  let i = 0;
  let j = 0;
  let x = Math.min(a[0]!, b[0]!);
  let area = 0;
  for (;;) {
    while (i < na && a[i]! <= x) i++;
    while (j < nb && b[j]! <= x) j++;
    const next = Math.min(i < na ? a[i]! : Infinity, j < nb ? b[j]! : Infinity);
    if (next === Infinity) return area;
    area += Math.abs(i / na - j / nb) * (next - x);
    x = next;
  }
}
