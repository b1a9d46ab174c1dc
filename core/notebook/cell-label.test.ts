import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellCommentTitle, cellErrorLabel } from './cell-label';

test('a cell is named by its first comment line, else its first line of code, with its execution count', () => {
  assert.equal(cellCommentTitle('\n// train the model\nconst x = 1;'), 'train the model');
  assert.equal(cellCommentTitle('# params\nepochs = 3'), 'params');
  assert.equal(cellCommentTitle('/* data */\nconst d = 1;'), 'data');
  assert.equal(cellCommentTitle('const x = 1; // not first'), null);
  assert.equal(cellErrorLabel('// train\nfit()', 3), '[3] cell "train"');
  assert.equal(
    cellErrorLabel('const rows = await ferry.useDataset(ferry.params.dataRef || "churn");', 7),
    '[7] cell "const rows = await ferry.useDataset(fer…"',
  );
  assert.equal(cellErrorLabel('', 1), '[1] cell');
});
