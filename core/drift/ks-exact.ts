// Exact null distribution of the two-sample two-sided KS statistic, ported from scipy
// (_stats_py._compute_prob_outside_square and _stats_pythran._compute_outer_prob_inside_method).

/** Pr(D_{n,n} ≥ h/n) for two samples of equal size n: a Horner-like sum that avoids cancellation. */
export function probOutsideSquare(n: number, h: number): number {
  let P = 0.0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1.0;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1.0 - P);
    k -= 1;
  }
  return 2 * P;
}

/**
 * Proportion of lattice paths from (0,0) to (m,n) that leave the band |x/m − y/n| < h/lcm(m,n), i.e.
 * Pr(D ≥ h/lcm). Hodges' inside method, with Viehmann's recursion computing 1 − p directly.
 */
export function outerProbInsideMethod(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = Math.floor(m / g);
  const ng = Math.floor(n / g);
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let j = minj; j < Math.min(maxj, lenA); j++) A[j] = 0.0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1.0;
    let val = minj === 0 ? 0.0 : 1.0;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, Math.min(maxj - minj + (lastlen - curlen), lenA));
  }
  return A[maxj - minj - 1]!;
}
