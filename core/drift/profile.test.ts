import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ks2samp } from './ks';
import { profileCategorical, profileNumeric, profileRows } from './profile';
import { referenceProfileSchema } from './profile-schema';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('numeric profile: moments, deciles like numpy, histogram shares, nulls', () => {
  // numpy.quantile(np.arange(1, 12), np.linspace(0, 1, 11)) == 1..11; std(ddof=0) of 1..11 = sqrt(10)
  const p = profileNumeric('x', [...range(11).map((i) => i + 1), null, undefined, NaN]);
  assert.equal(p.count, 11);
  assert.equal(p.nulls, 3);
  assert.equal(p.mean, 6);
  assert.ok(Math.abs(p.std - Math.sqrt(10)) < 1e-12);
  assert.deepEqual(
    p.quantiles,
    range(11).map((i) => i + 1),
  );
  assert.equal(p.min, 1);
  assert.equal(p.max, 11);
  // 11 distinct integers: a discrete feature, one bin per value with edges halfway between values.
  assert.equal(p.discrete, true);
  assert.deepEqual(p.edges, [0.5, ...range(11).map((i) => i + 1.5)]);
  assert.equal(p.histogram.length, 11);
  assert.ok(Math.abs(p.histogram.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.deepEqual(
    p.histogram.map((h) => Math.round(h * 11)),
    range(11).map(() => 1),
  );
});

test('interpolated deciles of an uneven sample (numpy: [0, 0.9, 1.8, 2.7, 3.6, 4.5, 5.4, 6.3, 7.2, 8.1, 9] for 0..9)', () => {
  const p = profileNumeric('x', range(10));
  const expected = [0, 0.9, 1.8, 2.7, 3.6, 4.5, 5.4, 6.3, 7.2, 8.1, 9];
  p.quantiles.forEach((q, i) => assert.ok(Math.abs(q - expected[i]!) < 1e-12, `q${i} = ${q}`));
});

test('the sample is a bounded, ascending, reproducible subset that looks like the data', () => {
  const values = range(50_000).map((i) => Math.sin(i) * 10 + (i % 7));
  const a = profileNumeric('x', values);
  const b = profileNumeric('x', values);
  assert.equal(a.sample.length, 1000);
  assert.deepEqual(a.sample, b.sample);
  assert.deepEqual(
    a.sample,
    [...a.sample].sort((x, y) => x - y),
  );
  const all = new Set(values);
  assert.ok(a.sample.every((v) => all.has(v)));
  assert.ok(ks2samp(a.sample, values).pvalue > 0.01, 'the sample is drawn from the data distribution');
  assert.notDeepEqual(profileNumeric('x', values, { seed: 7 }).sample, a.sample);
  assert.equal(profileNumeric('x', range(10)).sample.length, 10);
});

test('an empty column profiles without NaN', () => {
  const p = profileNumeric('x', [null, null]);
  assert.equal(p.count, 0);
  assert.equal(p.nulls, 2);
  assert.deepEqual(p.sample, []);
  referenceProfileSchema.parse({ v: 1, rows: 2, features: [p] });
});

test('categorical profile: shares of non-null values', () => {
  const p = profileCategorical('c', ['a', 'b', 'a', null, '', 'a', 'c', 'b']);
  assert.equal(p.count, 6);
  assert.equal(p.nulls, 2);
  assert.deepEqual(p.frequencies, { a: 0.5, b: 2 / 6, c: 1 / 6 });
});

test('profileRows infers categorical columns and validates against the schema', () => {
  const rows = range(200).map((i) => [i / 10, i % 3 === 0 ? 'red' : 'blue', i % 2 === 0]);
  const profile = profileRows(rows, ['x', 'colour', 'flag']);
  assert.deepEqual(
    profile.features.map((f) => f.type),
    ['numeric', 'categorical', 'categorical'],
  );
  assert.equal(profile.rows, 200);
  assert.deepEqual(referenceProfileSchema.parse(profile), profile);
  const forced = profileRows(
    rows.map((r) => [r[0]!]),
    ['x'],
    { types: { x: 'categorical' } },
  );
  assert.equal(forced.features[0]!.type, 'categorical');
});
