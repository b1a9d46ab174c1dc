import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOutputReplay } from './output-replay';

test('outputs are kept in order for a replay', () => {
  const replay = createOutputReplay();
  replay.add({ output_type: 'stream', name: 'stdout', text: 'a\n' });
  replay.add({ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '42' }, metadata: {} });
  assert.deepEqual(
    replay.outputs().map((o) => o.output_type),
    ['stream', 'execute_result'],
  );
});

test('past the bound, later outputs are dropped and one note counts them', () => {
  const replay = createOutputReplay(10);
  replay.add({ output_type: 'stream', name: 'stdout', text: '12345678\n' });
  replay.add({ output_type: 'stream', name: 'stdout', text: 'too much\n' });
  replay.add({ output_type: 'stream', name: 'stdout', text: 'x\n' });
  const outputs = replay.outputs();
  assert.equal(outputs.length, 2);
  assert.deepEqual(outputs[1], {
    output_type: 'stream',
    name: 'stderr',
    text: '[Ferry] 2 later outputs were lost while the message bus was unreachable\n',
  });
});
