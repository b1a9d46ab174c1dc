import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KERNEL_GLOBALS_DTS, KERNEL_HELPER_NAMES } from '../../core/notebook/kernel-globals';
import { createFerryHelpers } from './ferry-helpers';

// The editor's declarations of the `ferry` helpers and the helpers the kernel gives a cell must agree:
// a helper renamed on one side fails here instead of showing a wrong squiggle (or none) in the editor.
test('the editor declarations name exactly the helpers a cell gets', () => {
  const helpers = createFerryHelpers(
    { executionId: 'e', notebookId: 'n', notebookVersionId: 'v', cellId: 'c', helperApi: { url: 'http://127.0.0.1:9', token: 't' } },
    'source',
    () => {
      throw new Error('not used');
    },
    { backend: 'cpu', executionCount: 1 },
  );
  const internal = new Set<string>();
  const provided = Object.keys(helpers)
    .filter((k) => !internal.has(k))
    .sort();
  assert.deepEqual(provided, [...KERNEL_HELPER_NAMES].sort());
  for (const name of KERNEL_HELPER_NAMES) assert.match(KERNEL_GLOBALS_DTS, new RegExp(`\\b${name}\\b`), `${name} is declared`);
});
