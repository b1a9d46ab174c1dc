// Log-gamma and the regularized incomplete gamma functions, for chi-square p-values
// (chi2.sf(x, k) = Q(k/2, x/2)).

const LANCZOS_G = 7;
const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 0.000009984369578019572, 1.5056327351493116e-7,
];
const LOG_SQRT_2PI = 0.9189385332046728;

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  if (x > 15) {
    // Stirling's series: more accurate than Lanczos for large x, where chi-square with many categories lands.
    const r = 1 / x;
    const r2 = r * r;
    const series = r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 / 1188))));
    return (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + series;
  }
  const y = x - 1;
  let a = LANCZOS[0]!;
  const t = y + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (y + i);
  return LOG_SQRT_2PI + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 2.220446049250313e-16;
const TINY = 1e-300;
const MAX_ITER = 10000;

/** x^a e^-x / Γ(a), the common factor of both expansions, in log space to survive large a. */
const prefactor = (a: number, x: number) => Math.exp(a * Math.log(x) - x - logGamma(a));

/** P(a, x) by its power series; converges fast for x < a + 1. */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let k = 1; k < MAX_ITER; k++) {
    term *= x / (a + k);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * prefactor(a, x);
}

/** Q(a, x) by its continued fraction (modified Lentz); converges fast for x > a + 1. */
function upperFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return prefactor(a, x) * h;
}

/** Regularized lower incomplete gamma P(a, x). */
export function gammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0) || Number.isNaN(x)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), computed directly where it is small. */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0) || Number.isNaN(x)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
}
