import { logBinomialPmf } from './binomial-pmf';

// Survival function of the one-sided one-sample Kolmogorov-Smirnov statistic D+_n, ported from
// scipy.special.smirnov (cephes/kolmogorov.c, van Mulbregt 2018): the same branches, special cases,
// summation order and early stop. Where scipy carries double-double arithmetic, each term here is a
// binomial probability (A_v·(x + v/n) is Binomial(n, x + v/n) at v) computed in log space by Loader's
// method, which keeps its relative error near 1e-14 whatever n is.

const SMIRNOV_MAX_COMPUTE_N = 1_000_000;
const SM_UPPER_MAX_TERMS = 3;
const SM_UPPERSUM_MIN_N = 10;
/** cephes MINLOG = ln(2^-1022). */
const MINLOG = -708.3964185322641;
const DBL_EPSILON = 2.220446049250313e-16;
/** exp() of anything below this is 0 in double precision. */
const MIN_EXPABLE = -746;

/** Dekker's exact product: a·b = p + e. */
function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  const split = (v: number) => {
    const c = 134217729 * v; // 2^27 + 1
    const hi = c - (c - v);
    return [hi, v - hi] as const;
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/** floor(n·x) and its remainder, computed exactly (scipy's modNX). */
function modNX(n: number, x: number): { nxfl: number; alpha: number; nx: number; nxLo: number } {
  const [p, e] = twoProd(n, x);
  let nxfl = Math.floor(p);
  let alpha: number;
  if (nxfl === p) {
    if (e < 0) {
      nxfl -= 1;
      alpha = 1 + e;
    } else alpha = e;
  } else alpha = p - nxfl + e;
  if (alpha >= 1) {
    nxfl += 1;
    alpha = 0;
  }
  return { nxfl, alpha, nx: p, nxLo: e };
}

/** (a + b)^m with scipy's first-order correction for the low part (pow_D on a double-double). */
function powSum(a: number, b: number, m: number): number {
  const hi = a + b;
  const lo = b - (hi - a);
  if (m === 0) return 1;
  if (hi === 0) return 0;
  const ans = Math.pow(hi, m);
  const r = lo / hi;
  let adj = m * r;
  if (Math.abs(adj) > 1e-8) adj = Math.abs(adj) < 1e-4 ? adj + m * r * (((m - 1) / 2) * r) : Math.expm1(m * Math.log1p(r));
  return ans + ans * adj;
}

const clip01 = (p: number) => (p < 0 ? 0 : p > 1 ? 1 : p);

/**
 * A term of the upper sum (at most SM_UPPER_MAX_TERMS of them, v close to n): 1 − x − v/n is negative
 * there, so it is no binomial probability; with j = n − v ≤ 2 the direct form loses nothing.
 */
function upperTerm(n: number, j: number, v: number, nx: number, nxLo: number, t2num: number): { logAv: number; sign: number } {
  let logC = 0;
  for (let i = 0; i < j; i++) logC += Math.log((n - i) / (i + 1));
  const logT2 = j === 0 ? 0 : j * Math.log(Math.abs(t2num) / n);
  // x + v/n is just above 1 here: log1p of its excess keeps the digits that (v − 1)· would amplify.
  const logT1 = (v - 1) * Math.log1p((v - n + nx + nxLo) / n);
  return { logAv: logC + logT2 + logT1, sign: t2num < 0 && j % 2 === 1 ? -1 : 1 };
}

/** Pr(D+_n ≥ x). */
export function smirnov(n: number, x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!(n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;

  const { nxfl, alpha, nx, nxLo } = modNX(n, x);
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  let n1mxceil = n - nxfl;
  // With n·x an integer the last term is excluded from either sum.
  if (alpha === 0) {
    n1mxfl -= 1;
    n1mxceil += 1;
  }

  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) return 1 - x * powSum(1, x, n - 1);
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) return powSum(1, -x, n);
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    // scipy's approximation p ~ e^(-(6nx+1)^2 / 18n) for n too large to sum.
    const logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 - -Math.expm1(logp);
  }

  const nUpperTerms = n - n1mxceil + 1;
  const useUpperSum =
    (nUpperTerms <= 1 && x < 0.5) || (n >= SM_UPPERSUM_MIN_N && nUpperTerms <= SM_UPPER_MAX_TERMS && x <= 0.5 / Math.sqrt(n));
  const start = useUpperSum ? n : 0;
  const step = useUpperSum ? -1 : 1;
  const nTerms = useUpperSum ? n - n1mxceil + 1 : n1mxfl + 1;
  const vmid = Math.floor(n / 2);

  // Running sum s·e^scale of signed terms A_v = C(n,v) (1 − x − v/n)^(n−v) (x + v/n)^(v−1).
  let scale = -Infinity;
  let s = 0;
  for (let j = 0; j < nTerms; j++) {
    const v = start + j * step;
    // n·(x + v/n) and n·(1 − x − v/n) from the exact n·x, so neither loses digits to cancellation.
    const t1num = v + nx + nxLo;
    const t2num = n - v - nx - nxLo;
    const { logAv, sign } = useUpperSum
      ? upperTerm(n, j, v, nx, nxLo, t2num)
      : { logAv: logBinomialPmf(v, n, t1num, t2num) - Math.log(t1num / n), sign: 1 };
    if (logAv >= MIN_EXPABLE) {
      if (logAv > scale) {
        s = s * Math.exp(scale - logAv) + sign;
        scale = logAv;
      } else s += sign * Math.exp(logAv - scale);
      // Safe to stop once the remaining terms cannot move the sum.
      if (4 * (nTerms - j) * Math.exp(logAv - scale) < DBL_EPSILON * s && j !== nTerms - 1) break;
    } else if (j > vmid) break;
  }
  const prob = x * s * Math.exp(scale);
  return clip01(step < 0 ? 1 - prob : prob);
}
