import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createExecutionLedger } from './execution-ledger';

const ok = { finished: { type: 'finished' as const, status: 'ok' as const, executionCount: 3, durationMs: 12 }, replay: null };

test('an execution that ran here is answered with its real outcome, even while it still runs', async () => {
  const ledger = createExecutionLedger();
  assert.equal(ledger.lookup('e1'), undefined, 'never ran here');
  const ran = ledger.start('e1');
  const pending = ledger.lookup('e1');
  assert.ok(pending);
  ran.end(ok);
  assert.deepEqual(await pending, ok);
  assert.deepEqual(await ledger.lookup('e1'), ok);
});

test('the ledger keeps the latest thousand executions only', () => {
  const ledger = createExecutionLedger();
  for (let i = 0; i <= 1000; i++) ledger.start(`e${i}`).end(ok);
  assert.equal(ledger.lookup('e0'), undefined);
  assert.ok(ledger.lookup('e1'));
  assert.ok(ledger.lookup('e1000'));
});
