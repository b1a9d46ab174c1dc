import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { driftCommand } from './drift-command';

// The offline drift CLI against scipy on committed fixtures (scripts/drift-cli-fixtures.py made them
// with Debian's python3-scipy), and its answer to every kind of bad input.

const fixtures = join(import.meta.dirname, 'fixtures');
const reference = join(fixtures, 'reference.csv');
const current = join(fixtures, 'current.csv');
const scipy = JSON.parse(readFileSync(join(fixtures, 'scipy-expected.json'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function close(actual: number | null | undefined, expected: number, what: string) {
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs scipy ${expected}`,
  );
}

test('--json gives scipy’s statistics per feature, with the fields that do not apply set to null', () => {
  const result = driftCommand({ reference, current, json: true });
  assert.equal(result.exitCode, 0, result.stderr);
  const { features } = JSON.parse(result.stdout) as { features: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.deepEqual(
    features.map((f) => [f.name, f.type]),
    [
      ['age', 'numeric'],
      ['income', 'numeric'],
      ['colour', 'categorical'],
    ],
  );
  for (const name of ['age', 'income']) {
    const f = features.find((x) => x.name === name)!;
    close(f.ks.statistic, scipy[name].ks.statistic, `${name} KS`);
    close(f.ks.pvalue, scipy[name].ks.pvalue, `${name} KS p`);
    close(f.wasserstein, scipy[name].wasserstein, `${name} Wasserstein`);
    assert.equal(f.jensenshannon, null);
    assert.equal(f.chi2, null);
    assert.equal(typeof f.psi, 'number');
  }
  const colour = features.find((x) => x.name === 'colour')!;
  close(colour.jensenshannon, scipy.colour.jensenshannon, 'colour Jensen–Shannon');
  close(colour.chi2.statistic, scipy.colour.chi2.statistic, 'colour χ²');
  close(colour.chi2.pvalue, scipy.colour.chi2.pvalue, 'colour χ² p');
  assert.equal(colour.ks, null);
  assert.equal(colour.wasserstein, null);
  assert.deepEqual(
    features.map((f) => f.drift),
    [true, false, true],
  );
});

test('without --json: a table and a summary line', () => {
  const result = driftCommand({ reference, current });
  assert.equal(result.exitCode, 0);
  assert.match(result.stdout, /^feature\s+type\s+PSI/);
  assert.match(result.stdout, /age\s+numeric.*DRIFT/);
  assert.match(result.stdout, /2 of 3 features drift/);
});

test('bad input: exit code 2 and a message that says what is wrong', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-drift-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const cases: Array<[Parameters<typeof driftCommand>[0], RegExp]> = [
    [{ reference }, /usage/],
    [{ reference: join(dir, 'missing.csv'), current }, /--reference .*missing.csv: no such file/],
    [{ reference, current: file('empty.csv', '') }, /empty: a header row is required/],
    [{ reference, current: file('extra.csv', 'age,income,colour,height\n1,2,red,3\n') }, /columns the reference lacks: height/],
    [{ reference, current: file('less.csv', 'age,income\n1,2\n') }, /lacks reference columns: colour/],
    [{ reference, current: file('ragged.csv', 'age,income,colour\n1,2,red\n3,4\n') }, /line 3 has 2 fields; the header has 3/],
    [{ reference, current: file('blank.csv', 'age,income,colour\n,2,red\n,5,blue\n') }, /column age has no values in the current file/],
  ];
  for (const [opts, message] of cases) {
    const result = driftCommand(opts);
    assert.equal(result.exitCode, 2, JSON.stringify(opts));
    assert.match(result.stderr, message);
  }
});
