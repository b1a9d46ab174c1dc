import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffLines, diffNotebooks, type DiffCell } from './notebook-diff';

const cell = (id: string, source: string, cell_type = 'code'): DiffCell => ({ id, source, cell_type });

test('line diff: a changed line inside a long cell is one deletion and one addition among kept lines', () => {
  const before = ['a', 'b', 'c', 'd', 'e'].join('\n');
  const after = ['a', 'b', 'C', 'd', 'e', 'f'].join('\n');
  assert.deepEqual(diffLines(before, after), [
    { op: 'same', text: 'a' },
    { op: 'same', text: 'b' },
    { op: 'del', text: 'c' },
    { op: 'add', text: 'C' },
    { op: 'same', text: 'd' },
    { op: 'same', text: 'e' },
    { op: 'add', text: 'f' },
  ]);
  assert.deepEqual(diffLines('', 'x'), [{ op: 'add', text: 'x' }]);
  assert.deepEqual(diffLines('x', ''), [{ op: 'del', text: 'x' }]);
});

test('line diff applied to the old text gives the new text, on random edits', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 200; round++) {
    const a = Array.from({ length: Math.floor(rand() * 12) }, () => String(Math.floor(rand() * 5)));
    const b = Array.from({ length: Math.floor(rand() * 12) }, () => String(Math.floor(rand() * 5)));
    const changes = diffLines(a.join('\n'), b.join('\n'));
    assert.deepEqual(
      changes.filter((c) => c.op !== 'add').map((c) => c.text),
      a,
    );
    assert.deepEqual(
      changes.filter((c) => c.op !== 'del').map((c) => c.text),
      b,
    );
  }
});

test('cells are matched by id: added, removed, modified, moved and retyped cells are told apart', () => {
  const from = [cell('a', 'import x'), cell('b', 'train()'), cell('c', '# notes', 'markdown'), cell('d', 'plot()')];
  const to = [cell('b', 'train(epochs=5)'), cell('a', 'import x'), cell('c', '# notes', 'raw'), cell('e', 'evaluate()')];
  const diff = diffNotebooks(from, to);
  const byId = Object.fromEntries(diff.cells.map((c) => [c.id, c]));
  assert.equal(byId.a!.status, 'unchanged');
  assert.equal(byId.b!.status, 'modified');
  assert.equal(byId.a!.moved || byId.b!.moved, true, 'a and b swapped: one of them moved');
  assert.equal(byId.a!.moved && byId.b!.moved, false, 'but not both');
  assert.deepEqual(byId.c!.typeChange, { from: 'markdown', to: 'raw' });
  assert.equal(byId.c!.status, 'modified');
  assert.equal(byId.d!.status, 'removed');
  assert.equal(byId.e!.status, 'added');
  assert.deepEqual(diff.summary, { added: 1, removed: 1, modified: 2, unchanged: 1, moved: 1 });
  assert.deepEqual(
    diff.cells.map((c) => c.id),
    ['b', 'a', 'c', 'd', 'e'],
    'removed d shown where it was, after c',
  );
});

test('identical notebooks: nothing changed, nothing moved', () => {
  const cells = [cell('a', '1'), cell('b', '2')];
  assert.deepEqual(diffNotebooks(cells, cells).summary, { added: 0, removed: 0, modified: 0, unchanged: 2, moved: 0 });
});
