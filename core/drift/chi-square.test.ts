import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chiSquare, chiSquareSf } from './chi-square';
import { gammaQ, logGamma } from './gamma';

test('statistic by hand, expected frequencies rescaled to the observed total', () => {
  // expected 25, 25, 50 for 100 observations: (5² / 25) + (5² / 25) + 0 = 2
  const r = chiSquare([30, 20, 50], [1, 1, 2]);
  assert.ok(Math.abs(r.statistic - 2) < 1e-12);
  // chi2(2).sf(x) = exp(-x/2)
  assert.ok(Math.abs(r.pvalue - Math.exp(-1)) < 1e-14);
});

test('closed forms of the survival function', () => {
  // dof 1: erfc(sqrt(x/2)); at x = 3.841458820694124 it is 0.05
  assert.ok(Math.abs(chiSquareSf(3.841458820694124, 1) - 0.05) < 1e-12);
  for (const x of [0.1, 1, 10, 100, 1000])
    assert.ok(Math.abs(chiSquareSf(x, 4) - Math.exp(-x / 2) * (1 + x / 2)) <= 1e-12 * Math.exp(-x / 2) * (1 + x / 2));
  assert.equal(chiSquareSf(0, 3), 1);
  assert.equal(chiSquareSf(Infinity, 3), 0);
});

test('an observed category expected never is infinitely unlikely, as in scipy', () => {
  const r = chiSquare([10, 5], [1, 0]);
  assert.equal(r.statistic, Infinity);
  assert.equal(r.pvalue, 0);
});

test('fewer than two categories or no observations: NaN', () => {
  assert.ok(Number.isNaN(chiSquare([5], [1]).pvalue));
  assert.ok(Number.isNaN(chiSquare([0, 0], [1, 1]).statistic));
  assert.throws(() => chiSquare([1, 2], [1]), /categories/);
});

test('log-gamma at integers and halves', () => {
  assert.ok(Math.abs(logGamma(10) - Math.log(362880)) < 1e-13);
  assert.ok(Math.abs(logGamma(0.5) - Math.log(Math.sqrt(Math.PI))) < 1e-14);
  assert.ok(Math.abs(logGamma(101) - 363.73937555556347) < 1e-11);
  assert.ok(Math.abs(gammaQ(1, 2) - Math.exp(-2)) < 1e-15);
});
