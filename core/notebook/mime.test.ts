import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pickMime, sortRows, stripAnsi, tableOf, TABLE_MIME, VEGALITE_MIME } from './mime';

test('pickMime takes the richest type a bundle has', () => {
  assert.equal(pickMime({ 'text/plain': 'x', 'text/html': '<b>x</b>' }), 'text/html');
  assert.equal(pickMime({ 'text/plain': 'c', [VEGALITE_MIME]: {} }), VEGALITE_MIME);
  assert.equal(pickMime({ 'text/plain': 't', [TABLE_MIME]: { data: [] }, 'text/html': '<table>' }), TABLE_MIME);
  assert.equal(pickMime({ 'image/png': 'AAA', 'text/plain': 'fig' }), 'image/png');
  assert.equal(pickMime({ 'text/markdown': '# a', 'text/plain': 'a' }), 'text/markdown');
  assert.equal(pickMime({ 'application/x-custom+json': {}, 'text/x-foo': 'a' }), 'application/x-custom+json');
  assert.equal(pickMime({ 'text/plain': 'only' }), 'text/plain');
  assert.equal(pickMime({}), null);
});

test('tableOf reads data resources, records and 2-D arrays', () => {
  const dr = tableOf({ schema: { fields: [{ name: 'a', type: 'integer' }] }, data: [{ a: 1 }, { a: 2 }] });
  assert.deepEqual(dr?.fields, [{ name: 'a', type: 'integer' }]);
  assert.equal(dr?.rows.length, 2);
  const rec = tableOf([
    { x: 1, y: 'a' },
    { x: 2, z: true },
  ]);
  assert.deepEqual(rec?.fields, [
    { name: 'x', type: 'number' },
    { name: 'y', type: 'string' },
    { name: 'z', type: 'boolean' },
  ]);
  const m = tableOf([
    [1, 2],
    [3, 4],
  ]);
  assert.deepEqual(m?.rows, [
    { 0: 1, 1: 2 },
    { 0: 3, 1: 4 },
  ]);
  assert.equal(tableOf({ a: 1 }), null);
  assert.equal(tableOf([1, 2, 3]), null);
});

test('sortRows: numbers numerically, nulls last, both directions', () => {
  const rows = [{ v: 10 }, { v: null }, { v: 9 }, { v: 100 }];
  assert.deepEqual(
    sortRows(rows, 'v', false).map((r) => r.v),
    [9, 10, 100, null],
  );
  assert.deepEqual(
    sortRows(rows, 'v', true).map((r) => r.v),
    [100, 10, 9, null],
  );
});

test('stripAnsi removes colour codes', () => {
  assert.equal(stripAnsi('\u001b[31mError\u001b[0m: boom'), 'Error: boom');
});
