// Binomial probabilities with relative accuracy independent of n, by Loader's saddle-point expansion
// ("Fast and accurate computation of binomial probabilities", 2000, as in R's dbinom). Summing
// log C(n,k) + k·ln p + (n−k)·ln q directly cancels terms of size n·ln 2 and loses ~1e-8 at n = 1e6.

const LOG_SQRT_2PI = 0.9189385332046728;
const LOG_2PI = 1.8378770664093456;

/** ln(k!) − ln(√(2πk)·(k/e)^k), the error of Stirling's formula, for integer k ≥ 0. */
export function stirlerr(k: number): number {
  if (k <= 15) {
    if (k === 0) return 0;
    let factorial = 1;
    for (let i = 2; i <= k; i++) factorial *= i; // exact below 2^53
    return Math.log(factorial) - (k + 0.5) * Math.log(k) + k - LOG_SQRT_2PI;
  }
  const S0 = 1 / 12;
  const S1 = 1 / 360;
  const S2 = 1 / 1260;
  const S3 = 1 / 1680;
  const S4 = 1 / 1188;
  const kk = k * k;
  if (k > 500) return (S0 - S1 / kk) / k;
  if (k > 80) return (S0 - (S1 - S2 / kk) / kk) / k;
  if (k > 35) return (S0 - (S1 - (S2 - S3 / kk) / kk) / kk) / k;
  return (S0 - (S1 - (S2 - (S3 - S4 / kk) / kk) / kk) / kk) / k;
}

/** x·ln(x/m) + m − x, without the cancellation of that expression when x ≈ m. */
export function bd0(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
  }
  return x * Math.log(x / m) + m - x;
}

/**
 * ln Pr(K = k) for K ~ Binomial(n, p), given n·p and n·q (q = 1 − p) directly so callers can pass them
 * without rounding p first.
 */
export function logBinomialPmf(k: number, n: number, np: number, nq: number): number {
  if (k === 0) return np / n < 0.1 ? -bd0(n, nq) - np : n * Math.log(nq / n);
  if (k === n) return nq / n < 0.1 ? -bd0(n, np) - nq : n * Math.log(np / n);
  const lc = stirlerr(n) - stirlerr(k) - stirlerr(n - k) - bd0(k, np) - bd0(n - k, nq);
  const lf = LOG_2PI + Math.log(k) + Math.log1p(-k / n);
  return lc - 0.5 * lf;
}
