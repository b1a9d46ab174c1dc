import assert from 'node:assert/strict';
import { test } from 'node:test';
import { column, CsvError, isNumericColumn, parseCsv } from './csv-table';

test('quotes, escaped quotes, embedded newlines and CRLF', () => {
  const t = parseCsv('a,b\r\n1,"x, ""y"""\r\n2,"two\nlines"\n');
  assert.deepEqual(t.header, ['a', 'b']);
  assert.deepEqual(t.rows, [
    ['1', 'x, "y"'],
    ['2', 'two\nlines'],
  ]);
  assert.deepEqual(column(t, 'a'), ['1', '2']);
});

test('a blank last line is not a row; empty fields are kept', () => {
  assert.deepEqual(parseCsv('a,b\n1,\n\n').rows, [['1', '']]);
});

test('ragged rows, unclosed quotes, empty files and duplicate names are errors that say where', () => {
  assert.throws(
    () => parseCsv('a,b\n1,2\n3\n', 'cur.csv'),
    (e: Error) => e instanceof CsvError && /cur.csv: line 3 has 1 fields; the header has 2/.test(e.message),
  );
  assert.throws(() => parseCsv('a\n"open\n'), /never closed/);
  assert.throws(() => parseCsv(''), /empty/);
  assert.throws(() => parseCsv('a,a\n1,2'), /twice/);
});

test('numeric columns: every non-empty value is a finite number', () => {
  assert.equal(isNumericColumn(['1', ' 2.5', '', '-3e2']), true);
  assert.equal(isNumericColumn(['1', 'red']), false);
  assert.equal(isNumericColumn(['', '']), false);
  assert.equal(isNumericColumn(['Infinity']), false);
});
