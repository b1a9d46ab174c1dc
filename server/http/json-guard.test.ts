import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertSafeJson, MAX_JSON_DEPTH } from './json-guard';

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

test('values within the limits pass', () => {
  assertSafeJson(
    {
      name: 'ok',
      rows: [
        [1, 2],
        [3, 4],
      ],
      meta: { a: null, b: true },
    },
    'body',
  );
  assertSafeJson(nested(MAX_JSON_DEPTH), 'body');
});

test('a value nested past the limit is refused with a 400, without overflowing the stack', () => {
  assert.throws(() => assertSafeJson(nested(MAX_JSON_DEPTH + 1), 'body'), { code: 'INVALID_INPUT', message: /deeper than 64/ });
  assert.throws(() => assertSafeJson({ sampleInput: nested(20_000) }, 'body'), { code: 'INVALID_INPUT', message: /sampleInput/ });
});

test('NUL bytes in values or keys are refused and the field is named', () => {
  assert.throws(() => assertSafeJson({ name: 'a\u0000b' }, 'body'), { code: 'INVALID_INPUT', message: /body field name contains a NUL/ });
  assert.throws(() => assertSafeJson({ list: ['x', 'y\u0000'] }, 'body'), { message: /list\[1\]/ });
  assert.throws(() => assertSafeJson({ ['k\u0000']: 1 }, 'query'), { message: /key with a NUL/ });
  assert.throws(() => assertSafeJson('\u0000', 'path'), { message: /^path contains/ });
});
