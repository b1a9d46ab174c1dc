import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Y from 'yjs';
import { foreignRootTypes } from './root-types';

test('only the notebook schema root types may be written by an update', () => {
  const doc = new Y.Doc();
  const before = Y.encodeStateVector(doc);
  const cell = new Y.Map<unknown>();
  doc.getArray('cells').push([cell]);
  cell.set('source', new Y.Text('x = 1'));
  doc.getMap('meta').set('nbformat', 4);
  assert.deepEqual(foreignRootTypes(Y.encodeStateAsUpdate(doc, before)), []);

  const sv = Y.encodeStateVector(doc);
  doc.getMap('junk').set('k', 'x'.repeat(1000));
  doc.getText('more').insert(0, 'y');
  assert.deepEqual(foreignRootTypes(Y.encodeStateAsUpdate(doc, sv)).sort(), ['junk', 'more']);
  // Items appended after existing cells name no parent: they cannot start a root type.
  const sv2 = Y.encodeStateVector(doc);
  doc.getArray('cells').push([new Y.Map()]);
  assert.deepEqual(foreignRootTypes(Y.encodeStateAsUpdate(doc, sv2)), []);
});
