import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NotebookData } from '../contracts/notebook-schema';
import { notebookContentHash } from './content-hash';

const base: NotebookData = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { b: 1, a: 2 },
  cells: [
    {
      id: 'c1',
      cell_type: 'code',
      source: 'x = 1',
      metadata: {},
      outputs: [],
      execution_count: null,
      execution_state: 'idle',
      attachments: null,
    },
  ],
};

test('outputs and execution state do not change the hash; sources and key order do not matter', async () => {
  const h = await notebookContentHash(base);
  const ran = structuredClone(base);
  ran.cells[0]!.outputs = [{ output_type: 'stream', name: 'stdout', text: 'hi' }];
  ran.cells[0]!.execution_count = 3;
  ran.metadata = { a: 2, b: 1 };
  assert.equal(await notebookContentHash(ran), h);
  const edited = structuredClone(base);
  edited.cells[0]!.source = 'x = 2';
  assert.notEqual(await notebookContentHash(edited), h);
  assert.match(h, /^[0-9a-f]{64}$/);
});
