import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { chiSquare } from './chi-square';
import { gammaP, gammaQ } from './gamma';
import { jensenShannon } from './jensen-shannon';
import { kstwoSf } from './kolmogn';
import { ks2samp } from './ks';
import { smirnov } from './smirnov';
import { wasserstein } from './wasserstein';

// Agreement with scipy on the fixtures scripts/drift-fixtures.py wrote (scipy 1.10). Tolerance: relative,
// |ours − scipy| ≤ 1e-6·|scipy|, except that values scipy gives as exactly 0 (underflow) must be below 1e-300.

type Spec = { kind: 'irwin-hall-lcg'; seed: number; n: number; shift: number; scale: number; grid?: number };
type Sample = number[] | Spec;
interface Fixture {
  scipy: string;
  pairs: Array<{ name: string; a: Sample; b: Sample; ks: { statistic: number; pvalue: number }; wasserstein: number }>;
  kstwo: Array<{ n: number; d: number; sf: number }>;
  smirnov: Array<{ n: number; x: number; sf: number }>;
  chi2: Array<{ name: string; observed: number[]; expected: number[]; statistic: number; pvalue: number }>;
  gammainc: Array<{ a: number; x: number; p: number; q: number }>;
  jensenshannon: Array<{ name: string; p: number[]; q: number[]; base: number | null; distance: number }>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/scipy.json', import.meta.url), 'utf8')) as Fixture;

const RTOL = 1e-6;
function assertClose(actual: number, expected: number, what: string) {
  const ok = expected === 0 ? Math.abs(actual) < 1e-300 : Math.abs(actual - expected) <= RTOL * Math.abs(expected);
  assert.ok(ok, `${what}: got ${actual}, scipy ${expected} (relative difference ${Math.abs(actual - expected) / Math.abs(expected)})`);
}

/** Replays the fixture script's generator: integer LCG and Irwin-Hall sums are bit-identical in JS. */
function generate(spec: Sample): Float64Array {
  if (Array.isArray(spec)) return Float64Array.from(spec);
  let s = spec.seed >>> 0;
  const out = new Float64Array(spec.n);
  const u = () => {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  for (let i = 0; i < spec.n; i++) {
    const z = u() + u() + (u() + u()) - 2.0;
    let x = spec.shift + spec.scale * z;
    if (spec.grid) x = Math.floor(x / spec.grid) * spec.grid;
    out[i] = x;
  }
  return out;
}

describe(`two-sample statistics against scipy ${fixture.scipy}`, () => {
  for (const p of fixture.pairs) {
    test(p.name, () => {
      const a = generate(p.a);
      const b = generate(p.b);
      const ks = ks2samp(a, b);
      assertClose(ks.statistic, p.ks.statistic, 'ks statistic');
      assertClose(ks.pvalue, p.ks.pvalue, `ks p-value (${ks.method})`);
      assert.equal(ks.method, Math.max(a.length, b.length) <= 10000 ? 'exact' : 'asymp');
      assertClose(wasserstein(a, b), p.wasserstein, 'wasserstein');
      // Both are symmetric in their samples.
      assertClose(ks2samp(b, a).pvalue, p.ks.pvalue, 'ks p-value, samples swapped');
      assertClose(wasserstein(b, a), p.wasserstein, 'wasserstein, samples swapped');
    });
  }
});

describe('Kolmogorov-Smirnov distributions against scipy', () => {
  test('kstwo.sf on every branch of the method choice', () => {
    for (const k of fixture.kstwo) assertClose(kstwoSf(k.d, k.n), k.sf, `kstwo.sf(${k.d}, ${k.n})`);
  });
  test('smirnov, including the n > 1e6 approximation and the upper sum', () => {
    for (const s of fixture.smirnov) assertClose(smirnov(s.n, s.x), s.sf, `smirnov(${s.n}, ${s.x})`);
  });
});

describe('chi-square against scipy', () => {
  for (const c of fixture.chi2)
    test(c.name, () => {
      const res = chiSquare(c.observed, c.expected);
      assertClose(res.statistic, c.statistic, 'statistic');
      assertClose(res.pvalue, c.pvalue, 'p-value');
    });
  test('regularized incomplete gamma', () => {
    for (const g of fixture.gammainc) {
      assertClose(gammaQ(g.a, g.x), g.q, `gammaincc(${g.a}, ${g.x})`);
      assertClose(gammaP(g.a, g.x), g.p, `gammainc(${g.a}, ${g.x})`);
    }
  });
});

describe('Jensen-Shannon distance against scipy', () => {
  for (const j of fixture.jensenshannon)
    test(j.name, () => assertClose(jensenShannon(j.p, j.q, j.base ?? undefined), j.distance, 'distance'));
});
