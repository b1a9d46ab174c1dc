import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataRefUsage } from './data-ref-usage';

test('a notebook that reads ferry.params.dataRef honours a retraining’s data', () => {
  for (const source of [
    "const d = await ferry.useDataset(ferry.params.dataRef || 'churn@1');",
    "const d = await ferry.useDataset(ferry.params['dataRef'] ?? 'churn');",
    'const ref = ferry.params?.dataRef;',
    "ref = ferry.params.get('dataRef', 'churn@1')",
  ])
    assert.equal(dataRefUsage([{ id: 'a', source }]).readsDataRef, true, source);
});

test('literal dataset names are reported with their cell, and do not count as reading dataRef', () => {
  const usage = dataRefUsage([
    { id: 'p', source: 'const epochs = 5;' },
    { id: 'd', source: 'const rows = await ferry.useDataset(\'churn@1\');\nconst more = await ferry.useDataset("extra");' },
    { id: 'py', source: "df = ferry.use_dataset('churn@2')" },
  ]);
  assert.equal(usage.readsDataRef, false);
  assert.deepEqual(usage.hardCoded, [
    { cellId: 'd', position: 2, refs: ['churn@1', 'extra'] },
    { cellId: 'py', position: 3, refs: ['churn@2'] },
  ]);
});

test('a variable named like dataRef elsewhere is not a read of ferry.params.dataRef', () => {
  assert.equal(dataRefUsage([{ id: 'a', source: 'const dataRef = "x"; console.log(dataRef);' }]).readsDataRef, false);
});
