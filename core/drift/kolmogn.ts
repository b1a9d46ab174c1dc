import { smirnov } from './smirnov';

// CDF and survival function of the two-sided one-sample Kolmogorov-Smirnov statistic D_n, ported from
// scipy.stats._ksstats._kolmogn (Simard & L'Ecuyer 2011 choice of method: Ruben-Gambino, Durbin's
// matrix as Marsaglia-Tsang-Wang compute it, Pomeranz, Pelz-Good, or 2·smirnov). scipy's two-sample
// KS test uses it (as kstwo.sf) for its asymptotic p-value.

const E128 = 128;
const EP128 = 2 ** 128;
const EM128 = 2 ** -128;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
const SQRT3 = Math.sqrt(3);
const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;
const STIRLING_COEFFS = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417, -0.0005952380952380953, 0.0007936507936507937,
  -0.002777777777777778, 0.08333333333333333,
];

const clip01 = (p: number) => (p < 0 ? 0 : p > 1 ? 1 : Number.isNaN(p) ? p : p);
const select = (cdfprob: number, sfprob: number, cdf: boolean) => clip01(cdf ? cdfprob : sfprob);

function polyval(coeffs: number[], x: number): number {
  let y = 0;
  for (const c of coeffs) y = y * x + c;
  return y;
}

/** ln(n! / n^n) by Stirling, with n·ln(n) removed up front to avoid cancellation. */
function logNFactorialDivNPowN(n: number): number {
  const rn = 1.0 / n;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * polyval(STIRLING_COEFFS, rn / n);
}

/** ldexp without overflow in 2^e for large |e|. */
function ldexp(x: number, e: number): number {
  while (e > 1000) {
    x *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    x *= 2 ** -1000;
    e += 1000;
  }
  return x * 2 ** e;
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += aik * b[k * m + j]!;
    }
  return out;
}

/** Pr(D_n ≤ d) by Durbin's matrix algorithm, the Marsaglia-Tsang-Wang way. */
function kolmognDMTW(n: number, d: number, cdf: boolean): number {
  if (d >= 1.0) return select(1.0, 0.0, cdf);
  const nd = n * d;
  if (nd <= 0.5) return select(0.0, 1.0, cdf);
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  let H = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1.0;
  for (let j = 1; j <= m; j++) {
    v[j - 1] = 1.0 - h ** j;
    w[j - 1] = fac;
    fac /= j;
    v[j - 1]! *= fac;
  }
  const tt = Math.max(2 * h - 1.0, 0) ** m - 2 * h ** m;
  v[m - 1] = (1.0 + tt) * fac;
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)]!;
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;

  let Hpwr = new Float64Array(m * m);
  for (let i = 0; i < m; i++) Hpwr[i * m + i] = 1;
  let nn = n;
  let expnt = 0;
  let Hexpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      Hpwr = matmul(Hpwr, H, m);
      expnt += Hexpnt;
    }
    H = matmul(H, H, m);
    Hexpnt *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > EP128) {
      for (let i = 0; i < H.length; i++) H[i]! /= EP128;
      Hexpnt += E128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = Hpwr[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= EP128;
      expnt -= E128;
    }
  }
  if (expnt !== 0) p = ldexp(p, expnt);
  return select(p, 1.0 - p, cdf);
}

function pomeranzJ1J2(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    const ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pr(D_n ≤ x) by the Pomeranz recursion. */
function kolmognPomeranz(n: number, x: number, cdf: boolean): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = 1.0 * (t - ll);
  const g = Math.min(f, 1.0 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = 1.0;
  twogpower[0] = 1.0;
  onem2gpower[0] = 1.0;
  let expnt = 0;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1]! * gOverN) / m;
    twogpower[m] = (twogpower[m - 1]! * twoGOverN) / m;
    onem2gpower[m] = (onem2gpower[m - 1]! * oneMinusTwoGOverN) / m;
  }
  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let [j1, j2] = pomeranzJ1J2(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0.0);
    [j1, j2] = pomeranzJ1J2(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // np.convolve(V0[k1-V0s : k1-V0s+ln2], pwrs[:ln2]), entries conv_start .. conv_start+conv_len.
      const base = k1 - V0s;
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let max = 0;
      for (let c = 0; c < convLen; c++) {
        const idx = convStart + c;
        let acc = 0;
        const lo = Math.max(0, idx - (ln2 - 1));
        const hi = Math.min(idx, ln2 - 1);
        for (let a = lo; a <= hi; a++) acc += (V0[base + a] ?? 0) * (pwrs[idx - a] ?? 0);
        V1[c] = acc;
        if (acc > max) max = acc;
      }
      if (max > 0 && max < EM128) {
        for (let c = 0; c < V1.length; c++) V1[c]! *= EP128;
        expnt -= E128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > EP128) {
      ans *= EM128;
      expnt += E128;
    }
    ans *= m;
  }
  if (expnt !== 0) ans = ldexp(ans, expnt);
  return select(ans, 1.0 - ans, cdf);
}

/** Pelz-Good approximation to Pr(D_n ≤ x). */
function kolmognPelzGood(n: number, x: number, cdf: boolean): number {
  if (x <= 0.0) return select(0.0, 1.0, cdf);
  if (x >= 1.0) return select(1.0, 0.0, cdf);
  const z = Math.sqrt(n) * x;
  const zsquared = z ** 2;
  const zthree = z ** 3;
  const zfour = z ** 4;
  const zsix = z ** 6;
  const qlog = -PI_SQUARED / 8 / zsquared;
  if (qlog < MIN_LOG) return select(0.0, 1.0, cdf);
  let q = Math.exp(qlog);

  const k1a = -zsquared;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * zsix + 2 * zfour;
  const k2b = ((2 * zfour - 5 * zsquared) * PI_SQUARED) / 4;
  const k2c = (PI_FOUR * (1 - 2 * zsquared)) / 16;
  const k3d = (PI_SIX * (5 - 30 * zsquared)) / 64;
  const k3c = (PI_FOUR * (-60 * zsquared + 212 * zfour)) / 16;
  const k3b = (PI_SQUARED * (135 * zfour - 96 * zsix)) / 4;
  const k3a = -30 * zsix - 90 * z ** 8;

  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const msquared = m ** 2;
    const mfour = m ** 4;
    const msix = m ** 6;
    const qpower = q ** (8 * k);
    const coeffs = [1.0, k1a + k1b * msquared, k2a + k2b * msquared + k2c * mfour, k3a + k3b * msquared + k3c * mfour + k3d * msix];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qpower + coeffs[i]!;
  }
  const denominators = [z, 6 * zfour, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT2PI) / denominators[i]!;

  q = Math.exp(-PI_SQUARED / 2 / zsquared);
  const sqrt3z = SQRT3 * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const ksquared = k ** 2;
    const qpwer = q ** ksquared;
    const kspi = Math.PI * k;
    k2extra += ksquared * qpwer;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpwer;
  }
  K[2]! += (k2extra * PI_SQUARED * SQRT2PI) / (-36 * zthree);
  K[3]! += (k3extra * PI_SQUARED * SQRT2PI) / (216 * zsix);
  for (let i = 0; i < 4; i++) K[i] = K[i]! / Math.pow(n * 1.0, i / 2.0);
  if (!cdf) {
    for (let i = 0; i < 4; i++) K[i] = -K[i]!;
    K[0]! += 1;
  }
  return K[0]! + K[1]! + K[2]! + K[3]!;
}

/** Pr(D_n ≤ x) (cdf) or Pr(D_n > x) (sf) for integer n ≥ 1. */
export function kolmogn(n: number, x: number, cdf = true): number {
  if (Number.isNaN(n) || !Number.isInteger(n) || n <= 0) return NaN;
  if (x >= 1.0) return select(1.0, 0.0, cdf);
  if (x <= 0.0) return select(0.0, 1.0, cdf);
  const t = n * x;
  if (t <= 1.0) {
    if (t <= 0.5) return select(0.0, 1.0, cdf);
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1.0 / n) * (2 * t - 1);
    } else prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    return select(prob, 1.0 - prob, cdf);
  }
  if (t >= n - 1) {
    const prob = 2 * (1.0 - x) ** n;
    return select(1 - prob, prob, cdf);
  }
  if (x >= 0.5) {
    const prob = 2 * smirnov(n, x);
    return select(1.0 - prob, prob, cdf);
  }
  const nxsquared = t * x;
  if (n <= 140) {
    if (nxsquared <= 0.754693) {
      const prob = kolmognDMTW(n, x, true);
      return select(prob, 1.0 - prob, cdf);
    }
    if (nxsquared <= 4) {
      const prob = kolmognPomeranz(n, x, true);
      return select(prob, 1.0 - prob, cdf);
    }
    const prob = 2 * smirnov(n, x);
    return select(1.0 - prob, prob, cdf);
  }
  if (!cdf) {
    if (nxsquared >= 370.0) return 0.0;
    if (nxsquared >= 2.2) return clip01(2 * smirnov(n, x));
  }
  let cdfprob: number;
  if (nxsquared >= 18.0) cdfprob = 1.0;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdfprob = kolmognDMTW(n, x, true);
  else cdfprob = kolmognPelzGood(n, x, true);
  return select(cdfprob, 1.0 - cdfprob, cdf);
}

/** scipy.stats.kstwo.sf(d, n): outside the support (0.5/n, 1) it is 1 below and 0 above. */
export function kstwoSf(d: number, n: number): number {
  if (!(n >= 1) || !Number.isInteger(n) || Number.isNaN(d)) return NaN;
  if (d <= 0.5 / n) return 1.0;
  if (d >= 1.0) return 0.0;
  return kolmogn(n, d, false);
}
