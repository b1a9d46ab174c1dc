import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Y from 'yjs';
import { cellsOf, cellToData, initNotebookDoc } from '../../core/notebook/notebook-doc';
import { applyCellEvent, MAX_CELL_OUTPUT_BYTES, TRUNCATION_NOTE } from './cell-event-writer';

const about = { v: 1 as const, executionId: 'e1', notebookId: 'n1' };

test('stream chunks join; past the per-cell limit one visible note replaces the rest', () => {
  const doc = new Y.Doc();
  initNotebookDoc(doc);
  const cellId = cellToData(cellsOf(doc).get(0)).id;
  const ev = (text: string, name: 'stdout' | 'stderr' = 'stdout') =>
    applyCellEvent(doc, { ...about, cellId, type: 'output', output: { output_type: 'stream', name, text } });
  applyCellEvent(doc, { ...about, cellId, type: 'started', workerId: 'w', executionCount: 1 });
  ev('a');
  ev('b');
  assert.deepEqual(cellToData(cellsOf(doc).get(0)).outputs, [{ output_type: 'stream', name: 'stdout', text: 'ab' }]);

  const chunk = 'x'.repeat(64 * 1024);
  for (let i = 0; i < (MAX_CELL_OUTPUT_BYTES / chunk.length) * 2; i++) ev(chunk, i % 2 ? 'stderr' : 'stdout');
  const outputs = cellToData(cellsOf(doc).get(0)).outputs;
  const total = outputs.reduce((n, o) => n + (o.output_type === 'stream' ? o.text.length : 0), 0);
  assert.ok(total <= MAX_CELL_OUTPUT_BYTES + 200, `kept ${total} bytes`);
  const last = outputs[outputs.length - 1]!;
  assert.ok(last.output_type === 'stream' && last.text.startsWith(TRUNCATION_NOTE), 'the note is the last output');
  assert.equal(
    outputs.filter((o) => o.output_type === 'stream' && o.text.startsWith(TRUNCATION_NOTE)).length,
    1,
    'one note, not one per dropped chunk',
  );

  // The next run starts clean.
  applyCellEvent(doc, { ...about, executionId: 'e2', cellId, type: 'started', workerId: 'w', executionCount: 2 });
  ev('fresh');
  assert.deepEqual(cellToData(cellsOf(doc).get(0)).outputs, [{ output_type: 'stream', name: 'stdout', text: 'fresh' }]);
});
