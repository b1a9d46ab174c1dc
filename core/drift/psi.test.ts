import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binIndex, profileNumeric, quantileSorted } from './profile';
import { psi, psiBand } from './psi';

function normal(n: number, mean: number, seed = 1): number[] {
  let s = seed;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: n }, () => mean + Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand()));
}

test('quantiles interpolate like numpy', () => {
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantileSorted([10], 0.9), 10);
});

test('values beyond the reference range fall in the outer bins', () => {
  const cuts = [0, 1, 2, 3];
  assert.equal(binIndex(cuts, -5), 0);
  assert.equal(binIndex(cuts, 1.5), 1);
  assert.equal(binIndex(cuts, 99), 2);
});

test('PSI is ~0 for the same distribution and large for a shifted one', () => {
  const ref = profileNumeric('x', normal(5000, 0, 7));
  assert.ok(Math.abs(ref.histogram.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  const same = psi(ref, normal(5000, 0, 11));
  const shifted = psi(ref, normal(5000, 1, 11));
  assert.ok(same < 0.02, `same distribution PSI ${same}`);
  assert.ok(shifted > 0.5, `shifted PSI ${shifted}`);
  assert.equal(psiBand(same), 'stable');
  assert.equal(psiBand(shifted), 'drift');
});

test('PSI matches a hand computation with an empty bin', () => {
  const reference = { quantiles: [0, 1, 2], histogram: [0.5, 0.5] };
  // all current values in the first bin: c = [1, 0.0001]
  const expected = (1 - 0.5) * Math.log(1 / 0.5) + (0.0001 - 0.5) * Math.log(0.0001 / 0.5);
  assert.ok(Math.abs(psi(reference, [0.2, 0.4, 0.9]) - expected) < 1e-12);
});
