import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ks2samp, roundHalfEven } from './ks';
import { wasserstein } from './wasserstein';

/** The definitions, by brute force: sup |F1 − F2| over all data points; ∫ |F1 − F2|. */
function ecdf(sample: number[], x: number) {
  return sample.filter((v) => v <= x).length / sample.length;
}
function bruteKs(a: number[], b: number[]) {
  return Math.max(...[...a, ...b].map((x) => Math.abs(ecdf(a, x) - ecdf(b, x))));
}
function bruteWasserstein(a: number[], b: number[]) {
  const xs = [...new Set([...a, ...b])].sort((x, y) => x - y);
  let area = 0;
  for (let i = 0; i + 1 < xs.length; i++) area += Math.abs(ecdf(a, xs[i]!) - ecdf(b, xs[i]!)) * (xs[i + 1]! - xs[i]!);
  return area;
}

const sample = fc.array(
  fc.integer({ min: -20, max: 20 }).map((v) => v / 4),
  { minLength: 1, maxLength: 40 },
);

test('KS statistic and Wasserstein distance equal their definitions, ties included', () => {
  fc.assert(
    fc.property(sample, sample, (a, b) => {
      const ks = ks2samp(a, b);
      assert.ok(Math.abs(ks.statistic - bruteKs(a, b)) < 1e-12);
      assert.ok(ks.pvalue >= 0 && ks.pvalue <= 1);
      assert.ok(Math.abs(wasserstein(a, b) - bruteWasserstein(a, b)) < 1e-9);
    }),
    { numRuns: 300 },
  );
});

test('non-finite values are dropped; an empty sample is an error', () => {
  assert.deepEqual(ks2samp([1, 2, NaN, 3, null], [1, 2, 3, Infinity]), ks2samp([1, 2, 3], [1, 2, 3]));
  assert.throws(() => ks2samp([], [1]), /at least one value/);
  assert.ok(Number.isNaN(wasserstein([], [1])));
});

test('numpy rounding: halves to even', () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, 2.4, 2.6].map(roundHalfEven), [0, 2, 2, -0, 2, 3]);
});

test('method: exact up to 10,000 values per sample, asymptotic beyond, or as asked', () => {
  const a = Array.from({ length: 10_001 }, (_, i) => i);
  assert.equal(ks2samp(a.slice(0, 10_000), [1, 2]).method, 'exact');
  assert.equal(ks2samp(a, [1, 2]).method, 'asymp');
  assert.equal(ks2samp([1, 2, 3], [2, 3, 4], 'asymp').method, 'asymp');
});
