/** x·ln(x/y) with scipy.special.rel_entr's conventions at zero. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/**
 * Jensen-Shannon distance (the square root of the divergence) between two distributions given as
 * counts or weights over the same bins, each normalized to sum 1 first; natural log unless `base` is
 * given. Matches scipy.spatial.distance.jensenshannon(p, q, base).
 */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>, base?: number): number {
  if (p.length !== q.length) throw new Error(`jensenShannon: ${p.length} bins against ${q.length}`);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i]!;
    sq += q[i]!;
  }
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    const m = (pi + qi) / 2;
    left += relEntr(pi, m);
    right += relEntr(qi, m);
  }
  let js = left + right;
  if (base !== undefined) js /= Math.log(base);
  // Rounding can leave a tiny negative divergence for identical inputs; the distance is then 0.
  return Math.sqrt(Math.max(js / 2, 0));
}
