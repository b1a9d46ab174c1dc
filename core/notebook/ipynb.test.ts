import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as Y from 'yjs';
import { fromIpynb, IpynbError, toIpynb, toTypeScript } from './ipynb';
import { initNotebookDoc, notebookToData } from './notebook-doc';

// A notebook written and executed by real Jupyter (scripts/ipynb-fixture.py: nbformat + an IPython
// kernel), imported, put through a shared document as Ferry stores it, and exported again.

const fixture = readFileSync(join(import.meta.dirname, 'fixtures', 'jupyter-executed.ipynb'), 'utf8');
const original = JSON.parse(fixture) as { cells: Array<Record<string, any>>; metadata: Record<string, unknown> }; // eslint-disable-line @typescript-eslint/no-explicit-any
const joined = (v: string | string[]) => (Array.isArray(v) ? v.join('') : v);

test('a Jupyter notebook imports with sources, types, metadata and every kind of output', () => {
  const data = fromIpynb(fixture);
  assert.deepEqual(
    data.cells.map((c) => c.cell_type),
    original.cells.map((c) => c.cell_type),
  );
  data.cells.forEach((c, i) => assert.equal(c.source, joined(original.cells[i]!.source)));
  assert.equal(new Set(data.cells.map((c) => c.id)).size, data.cells.length, 'nbformat 4.4 cells get unique ids');
  const kinds = data.cells.flatMap((c) => c.outputs.map((o) => o.output_type));
  for (const kind of ['stream', 'display_data', 'execute_result', 'error']) assert.ok(kinds.includes(kind as never), kind);
  const error = data.cells.flatMap((c) => c.outputs).find((o) => o.output_type === 'error');
  assert.equal(error?.output_type === 'error' && error.ename, 'ZeroDivisionError');
  const png = data.cells.flatMap((c) => c.outputs).find((o) => o.output_type === 'display_data' && 'image/png' in o.data);
  assert.ok(png, 'the matplotlib figure');
  assert.deepEqual(data.metadata.kernelspec, original.metadata.kernelspec);
});

test('round trip through the shared document keeps sources, metadata, outputs and ids', () => {
  const imported = fromIpynb(fixture);
  const doc = new Y.Doc();
  initNotebookDoc(doc, imported);
  const stored = notebookToData(doc);
  const exported = toIpynb(stored) as { nbformat: number; nbformat_minor: number; cells: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(exported.nbformat, 4);
  assert.equal(exported.nbformat_minor, 5);
  exported.cells.forEach((c, i) => {
    const before = original.cells[i]!;
    assert.equal(c.id, imported.cells[i]!.id);
    assert.equal(joined(c.source), joined(before.source));
    assert.deepEqual(c.metadata, before.metadata);
    if (c.cell_type !== 'code') return;
    assert.equal(c.execution_count, before.execution_count);
    assert.equal(c.outputs.length, before.outputs.length);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    c.outputs.forEach((o: Record<string, any>, j: number) => {
      const b = before.outputs[j];
      assert.equal(o.output_type, b.output_type);
      if (o.text) assert.equal(joined(o.text), joined(b.text));
      if (o.data) for (const mime of Object.keys(b.data)) assert.equal(joined(o.data[mime]), joined(b.data[mime]), mime);
      if (o.traceback) assert.deepEqual(o.traceback, b.traceback);
    });
  });
  // And again: exporting what was imported from an export changes nothing.
  assert.deepEqual(toIpynb(fromIpynb(JSON.stringify(exported))), exported);
});

test('export as a TypeScript script: code in order, markdown as comments', () => {
  const ts = toTypeScript(fromIpynb(fixture), 'Churn');
  assert.match(ts, /^\/\/ Churn — exported from Ferry/);
  assert.match(ts, /\/\/ %% \[markdown\]\n\/\/ # Churn model/);
  assert.ok(ts.indexOf("print('training on'") < ts.indexOf('def f(x)'));
});

test('bad files are refused with the reason', () => {
  const cases: Array<[unknown, RegExp]> = [
    ['{not json', /not JSON/],
    [[], /JSON object/],
    [{ nbformat: 3, cells: [] }, /only nbformat 4/],
    [{ nbformat: 4 }, /cells must be a list/],
    [{ nbformat: 4, cells: [{ cell_type: 'python', source: '' }] }, /cells\[0\]\.cell_type/],
    [{ nbformat: 4, cells: [{ cell_type: 'code', source: 42 }] }, /cells\[0\]\.source must be a string/],
    [
      { nbformat: 4, cells: [{ cell_type: 'code', source: '', outputs: [{ output_type: 'stream', name: 'stdin', text: 'x' }] }] },
      /cells\[0\]\.outputs\[0\]/,
    ],
  ];
  for (const [input, message] of cases)
    assert.throws(
      () => fromIpynb(typeof input === 'string' ? input : input),
      (e: Error) => e instanceof IpynbError && message.test(e.message),
      String(message),
    );
});

test('duplicate or invalid cell ids are replaced, valid ones kept', () => {
  const data = fromIpynb({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { id: 'keep-me', cell_type: 'code', source: 'a', metadata: {}, outputs: [], execution_count: null },
      { id: 'keep-me', cell_type: 'code', source: 'b', metadata: {}, outputs: [], execution_count: null },
      { id: 'bad id!', cell_type: 'markdown', source: 'c', metadata: {} },
    ],
  });
  assert.equal(data.cells[0]!.id, 'keep-me');
  assert.notEqual(data.cells[1]!.id, 'keep-me');
  assert.match(data.cells[2]!.id, /^[0-9a-f]{16}$/);
});
