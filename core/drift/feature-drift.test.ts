import assert from 'node:assert/strict';
import { test } from 'node:test';
import { featureDriftSchema } from '../contracts/api/device';
import { featureDrift, profileDrift } from './feature-drift';
import { profileCategorical, profileColumns, profileNumeric } from './profile';
import { seededRandom } from './reservoir';

function normal(n: number, mean: number, seed: number): number[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => mean + Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

const reference = profileNumeric('x', normal(20_000, 0, 1));

test('numeric: the same distribution does not drift, every statistic is reported', () => {
  const d = featureDrift(reference, normal(2000, 0, 2));
  featureDriftSchema.parse(d);
  assert.equal(d.drift, false);
  assert.ok(d.psi! < 0.1, `psi ${d.psi}`);
  assert.ok(d.ks!.pvalue > 0.05, `ks p ${d.ks!.pvalue}`);
  assert.ok(d.wasserstein! < 0.1);
  assert.ok(d.jensenshannon! < 0.1);
  assert.equal(d.chi2, null);
});

test('numeric: a half-sigma shift drifts by both PSI and KS', () => {
  const d = featureDrift(reference, normal(2000, 0.5, 3));
  assert.equal(d.drift, true);
  assert.ok(d.psi! >= 0.2, `psi ${d.psi}`);
  assert.ok(d.ks!.pvalue < 1e-6);
  assert.ok(Math.abs(d.wasserstein! - 0.5) < 0.1, `wasserstein ${d.wasserstein}`);
});

test('numeric: a small shift is caught by KS before PSI reaches 0.2', () => {
  const d = featureDrift(reference, normal(5000, 0.2, 4));
  assert.ok(d.psi! < 0.2, `psi ${d.psi}`);
  assert.ok(d.ks!.pvalue < 0.05);
  assert.equal(d.drift, true);
  assert.equal(featureDrift(reference, normal(5000, 0.2, 4), { alpha: 1e-12 }).drift, false);
});

test('numeric: nulls and NaN are ignored; an empty window claims nothing', () => {
  const window = [...normal(500, 0, 5), null, NaN, undefined];
  assert.equal(featureDrift(reference, window).drift, false);
  assert.deepEqual(featureDrift(reference, [null, NaN]), {
    name: 'x',
    type: 'numeric',
    psi: null,
    ks: null,
    wasserstein: null,
    jensenshannon: null,
    chi2: null,
    drift: false,
  });
});

const colours = (n: number, pRed: number, seed: number) => {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => (rand() < pRed ? 'red' : rand() < 0.5 ? 'green' : 'blue'));
};

test('categorical: same frequencies do not drift, changed ones do', () => {
  const ref = profileCategorical('colour', colours(10_000, 0.5, 1));
  const same = featureDrift(ref, colours(1000, 0.5, 2));
  featureDriftSchema.parse(same);
  assert.equal(same.drift, false);
  assert.ok(same.chi2!.pvalue > 0.05);
  assert.equal(same.ks, null);
  const shifted = featureDrift(ref, colours(1000, 0.7, 3));
  assert.equal(shifted.drift, true);
  assert.ok(shifted.chi2!.pvalue < 1e-6);
  assert.ok(shifted.jensenshannon! > same.jensenshannon!);
});

test('categorical: a category the reference never saw is drift, with a finite statistic', () => {
  const ref = profileCategorical('colour', colours(10_000, 0.5, 1));
  const d = featureDrift(ref, [...colours(1000, 0.5, 4), ...new Array<string>(50).fill('purple')]);
  assert.equal(d.drift, true);
  assert.ok(Number.isFinite(d.chi2!.statistic));
  assert.ok(d.psi! > 0.2);
});

test('profileDrift: columns by position or by name; a missing column claims nothing', () => {
  const profile = profileColumns({ x: normal(3000, 0, 6), colour: colours(3000, 0.5, 7) });
  const byName = profileDrift(profile, { x: normal(800, 1, 8), colour: colours(800, 0.5, 9) });
  assert.deepEqual(
    byName.map((f) => [f.name, f.drift]),
    [
      ['x', true],
      ['colour', false],
    ],
  );
  const byPosition = profileDrift(profile, [normal(800, 1, 8)]);
  assert.equal(byPosition[0]!.drift, true);
  assert.equal(byPosition[1]!.psi, null);
});
