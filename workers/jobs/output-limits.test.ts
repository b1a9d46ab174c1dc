import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withinBusLimit } from './output-limits';

test('an output too large for one bus message becomes a note saying so; others pass unchanged', () => {
  const small = { output_type: 'stream' as const, name: 'stdout' as const, text: 'hello\n' };
  assert.equal(withinBusLimit(small), small);
  const huge = withinBusLimit({ output_type: 'display_data', data: { 'image/png': 'A'.repeat(2_000_000) }, metadata: {} });
  assert.equal(huge.output_type, 'stream');
  assert.match(huge.output_type === 'stream' ? huge.text : '', /one display_data output of 195\d KiB was not shown/);
});
