import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellOutput } from '../../core/contracts/messages/outputs';
import { cellOutputSchema } from '../../core/contracts/messages/outputs';
import { TABLE_MIME, VEGA_MIME, VEGALITE_MIME } from '../../core/notebook/mime';
import { createDisplay, displayOutput } from './format-value';

const data = (o: CellOutput) => (o.output_type === 'display_data' ? o.data : {});

test('display() detects charts, HTML, images and tables', () => {
  const chart = displayOutput({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', mark: 'bar', title: 'Sales' });
  assert.ok(data(chart)[VEGALITE_MIME]);
  assert.equal(data(chart)['text/plain'], 'Vega-Lite chart: Sales');
  assert.ok(data(displayOutput({ $schema: 'https://vega.github.io/schema/vega/v5.json', marks: [] }))[VEGA_MIME]);
  assert.equal(data(displayOutput({ html: '<b>hi</b>' }))['text/html'], '<b>hi</b>');
  assert.equal(data(displayOutput({ html: '<b>hi</b>' }))['text/plain'], 'hi');
  assert.equal(data(displayOutput({ png: 'AAAA' }))['image/png'], 'AAAA');
  const table = data(
    displayOutput([
      { a: 1, b: 'x' },
      { a: 2, c: new Date(0) },
    ]),
  )[TABLE_MIME] as {
    schema: { fields: unknown[] };
    data: unknown[];
  };
  assert.deepEqual(table.schema.fields, [
    { name: 'a', type: 'number' },
    { name: 'b', type: 'string' },
    { name: 'c', type: 'string' },
  ]);
  assert.deepEqual(table.data[1], { a: 2, b: null, c: '1970-01-01T00:00:00.000Z' });
  assert.ok(
    data(
      displayOutput([
        [1, 2],
        [3, 4],
      ]),
    )[TABLE_MIME],
  );
  assert.deepEqual(Object.keys(data(displayOutput(42))), ['text/plain']);
});

test('display.* forms emit one MIME type each, all valid outputs', () => {
  const out: CellOutput[] = [];
  const display = createDisplay((o) => out.push(o));
  display.html('<i>x</i>');
  display.markdown('# t');
  display.svg('<svg/>');
  display.vegaLite({ mark: 'point' });
  display.vega({ marks: [] });
  display.table([{ a: 1 }]);
  display.json({ a: [1, 2] });
  display.mime({ 'text/latex': '$x$', 'text/plain': 'x' });
  const kinds = out.map((o) => Object.keys(data(o))[0]);
  assert.deepEqual(kinds, [
    'text/html',
    'text/markdown',
    'image/svg+xml',
    VEGALITE_MIME,
    VEGA_MIME,
    TABLE_MIME,
    'application/json',
    'text/latex',
  ]);
  for (const o of out) assert.ok(cellOutputSchema.safeParse(o).success);
});

test('a 2-D tensor-like value becomes a table', () => {
  const t = {
    shape: [2, 2],
    dataSync: () => [],
    arraySync: () => [
      [1, 2],
      [3, 4],
    ],
    toString: () => 'Tensor',
  };
  const table = data(displayOutput(t))[TABLE_MIME] as { data: unknown[] };
  assert.equal(table.data.length, 2);
});
