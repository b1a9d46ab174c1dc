import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatasetError, profileDataset, readDataset, referenceProfileFromTable, records } from './dataset-table';

test('CSV: types inferred per column, missing values as null, a profile per column', () => {
  const t = readDataset('age,city,score\n31,Oslo,0.5\n,Bergen,1.5\n45,Oslo,\n', 'csv');
  assert.equal(t.rows, 3);
  assert.deepEqual(
    t.columns.map((c) => [c.name, c.type]),
    [
      ['age', 'numeric'],
      ['city', 'categorical'],
      ['score', 'numeric'],
    ],
  );
  assert.deepEqual(records(t, 2), [
    { age: 31, city: 'Oslo', score: 0.5 },
    { age: null, city: 'Bergen', score: 1.5 },
  ]);
  const { schema, profile } = profileDataset(t);
  assert.equal(schema.length, 3);
  const age = profile[0] as { nulls: number; mean: number; quantiles: number[] };
  assert.equal(age.nulls, 1);
  assert.equal(age.mean, 38);
  assert.deepEqual(
    (profile[1] as { top: Array<{ value: string }> }).top.map((x) => x.value),
    ['Oslo', 'Bergen'],
  );
});

test('JSON lines: the union of keys, nulls for missing ones', () => {
  const t = readDataset('{"a": 1, "b": "x"}\n\n{"a": 2, "c": true}\n', 'jsonl');
  assert.deepEqual(
    t.columns.map((c) => [c.name, c.type]),
    [
      ['a', 'numeric'],
      ['b', 'categorical'],
      ['c', 'categorical'],
    ],
  );
  assert.deepEqual(records(t), [
    { a: 1, b: 'x', c: null },
    { a: 2, b: null, c: 'true' },
  ]);
});

test('bad files say what is wrong', () => {
  assert.throws(
    () => readDataset('a,b\n1\n', 'csv'),
    (e: Error) => e instanceof DatasetError && /line 2 has 1 fields/.test(e.message),
  );
  assert.throws(() => readDataset('a,b\n', 'csv'), /no rows/);
  assert.throws(() => readDataset('{"a": 1}\nnot json\n', 'jsonl'), /line 2 is not JSON/);
  assert.throws(() => readDataset('[1,2]\n', 'jsonl'), /not a JSON object/);
  assert.throws(() => readDataset('{"a": {"b": 1}}\n', 'jsonl'), /nested/);
});

test('a drift reference from a dataset covers exactly the named features, with their types and a sample', () => {
  const table = readDataset('a,b,city\n1,10,Oslo\n2,20,Bergen\n3,,Oslo\n4,40,Oslo\n', 'csv');
  const profile = referenceProfileFromTable(table, ['city', 'a']);
  assert.equal(profile.rows, 4);
  assert.deepEqual(
    profile.features.map((f) => [f.name, f.type]),
    [
      ['city', 'categorical'],
      ['a', 'numeric'],
    ],
  );
  const a = profile.features[1]!;
  assert.ok(a.type === 'numeric');
  assert.deepEqual(a.sample, [1, 2, 3, 4]);
  assert.equal(a.mean, 2.5);
  const city = profile.features[0]!;
  assert.ok(city.type === 'categorical');
  assert.equal(city.frequencies.Oslo, 0.75);
  assert.throws(() => referenceProfileFromTable(table, ['a', 'zip']), /no column "zip"/);
});
