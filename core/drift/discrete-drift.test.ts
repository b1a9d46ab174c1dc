import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numericDrift } from './feature-drift';
import { profileNumeric } from './profile';

/** mulberry32: a small seeded generator, so the resamples are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A support_calls-like column: integers 0–8, skewed towards few calls. */
function supportCalls(n: number, random: () => number): number[] {
  return Array.from({ length: n }, () => Math.min(8, Math.floor(-Math.log(1 - random()) * 1.6)));
}

const resample = (values: number[], n: number, random: () => number) =>
  Array.from({ length: n }, () => values[Math.floor(random() * values.length)]!);

test('reported bug: integers 0–8, 1,000 rows resampled from the training set raise no alert', () => {
  const training = supportCalls(5000, rng(1));
  const profile = profileNumeric('support_calls', training);
  assert.equal(profile.discrete, true);
  assert.equal(profile.histogram.length, new Set(training).size);
  const drift = numericDrift(profile, resample(training, 1000, rng(2)));
  assert.equal(drift.drift, false, JSON.stringify(drift));
  assert.ok(drift.psi! < 0.05, `psi ${drift.psi}`);
  assert.equal(drift.ks, null);
  assert.ok(drift.chi2!.pvalue > 0.05);
});

test('50 seeded resamples of an integer feature: at most 1 false alert', () => {
  const training = supportCalls(5000, rng(3));
  const profile = profileNumeric('support_calls', training);
  let alerts = 0;
  for (let s = 0; s < 50; s++) if (numericDrift(profile, resample(training, 1000, rng(100 + s))).drift) alerts++;
  assert.ok(alerts <= 1, `${alerts} false alerts`);
});

test('50 seeded resamples of a continuous feature with ties: at most 1 false alert', () => {
  const random = rng(4);
  // Continuous with a point mass at 0 (ties on the lower deciles).
  const training = Array.from({ length: 5000 }, () => (random() < 0.35 ? 0 : random() * 100));
  const profile = profileNumeric('amount', training);
  assert.notEqual(profile.discrete, true);
  const edges = profile.edges!;
  for (let i = 1; i < edges.length; i++) assert.ok(edges[i]! > edges[i - 1]!, `edges ${edges}`);
  assert.ok(!edges.slice(1, -1).some((e) => training.includes(e)), 'no reference value sits on an inner edge');
  let alerts = 0;
  for (let s = 0; s < 50; s++) if (numericDrift(profile, resample(training, 1000, rng(200 + s))).drift) alerts++;
  assert.ok(alerts <= 1, `${alerts} false alerts`);
});

test('a real shift of an integer feature is detected', () => {
  const training = supportCalls(5000, rng(5));
  const profile = profileNumeric('support_calls', training);
  const shifted = resample(training, 1000, rng(6)).map((v) => Math.min(8, v + 1));
  assert.equal(numericDrift(profile, shifted).drift, true);
});

test('old profiles without the discrete flag are still read as decile bins', () => {
  const training = supportCalls(2000, rng(7));
  const { discrete: _discrete, ...old } = profileNumeric('x', training);
  const drift = numericDrift(old, resample(training, 500, rng(8)));
  assert.equal(drift.chi2, null);
  assert.notEqual(drift.ks, null);
});
