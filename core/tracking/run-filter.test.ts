import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilterError, parseOrderBy, parseRunFilter } from './run-filter';

test('clauses of every kind, joined by AND', () => {
  assert.deepEqual(
    parseRunFilter("metrics.rmse < 0.5 and params.model = 'mlp' AND tags.`team name` LIKE 'vision%' and attributes.status = \"FINISHED\""),
    [
      { kind: 'metric', key: 'rmse', op: '<', value: 0.5 },
      { kind: 'param', key: 'model', op: '=', value: 'mlp' },
      { kind: 'tag', key: 'team name', op: 'LIKE', value: 'vision%' },
      { kind: 'attribute', key: 'status', op: '=', value: 'FINISHED' },
    ],
  );
  assert.deepEqual(parseRunFilter("run_name IN ('a', 'b') and metric.acc >= 1e-3 and params.lr != 0.1"), [
    { kind: 'attribute', key: 'run_name', op: 'IN', value: ['a', 'b'] },
    { kind: 'metric', key: 'acc', op: '>=', value: 0.001 },
    { kind: 'param', key: 'lr', op: '!=', value: '0.1' },
  ]);
  assert.deepEqual(parseRunFilter('attributes.run_id NOT IN ("x")'), [{ kind: 'attribute', key: 'run_id', op: 'NOT IN', value: ['x'] }]);
  assert.deepEqual(parseRunFilter('  '), []);
});

test('mistakes are named', () => {
  const cases: Array<[string, RegExp]> = [
    ["metrics.rmse < 'low'", /compares with a number/],
    ["params.lr > '0.1'", /values are text/],
    ['metrics.rmse < 1 or metrics.rmse > 2', /expected AND/],
    ["colour = 'red'", /unknown attribute "colour"/],
    ["models.x = 'y'", /unknown entity "models"/],
    ["params.model = 'mlp", /unterminated/],
    ['metrics.rmse', /expected a comparison/],
    ["tags.t IN 'a'", /IN needs a list/],
    ["metrics.rmse LIKE '1%'", /LIKE compares text/],
  ];
  for (const [filter, message] of cases)
    assert.throws(
      () => parseRunFilter(filter),
      (e: Error) => e instanceof FilterError && message.test(e.message),
      filter,
    );
});

test('order_by entries', () => {
  assert.deepEqual(parseOrderBy(['metrics.rmse DESC', 'attributes.start_time', 'params.`batch size` asc']), [
    { kind: 'metric', key: 'rmse', descending: true },
    { kind: 'attribute', key: 'start_time', descending: false },
    { kind: 'param', key: 'batch size', descending: false },
  ]);
  assert.throws(() => parseOrderBy(['metrics.rmse sideways']), /ASC or DESC/);
});
