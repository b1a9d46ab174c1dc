import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DriftReport } from '../../core/contracts/api/device';
import { Outbox } from './outbox';

const report = {
  modelVersionId: '00000000-0000-4000-8000-000000000001',
  windowStart: new Date(0).toISOString(),
  windowEnd: new Date(1).toISOString(),
  sampleCount: 3,
  features: [],
  predictions: [],
};

test('reports stay on disk until delivered, in order, each with its own key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  const box = new Outbox(dir);
  assert.equal(await box.flush(async () => undefined), 0, 'an empty flush does not block later ones');
  const a = box.put(report);
  const b = box.put(report);
  assert.notEqual(a.idempotencyKey, b.idempotencyKey);
  await assert.rejects(box.flush(async () => Promise.reject(new Error('server down'))));
  assert.equal(new Outbox(dir).pending().length, 2, 'a restart finds them');
  const seen: DriftReport[] = [];
  assert.equal(await box.flush(async (r) => void seen.push(r)), 2);
  assert.deepEqual(
    seen.map((r) => r.idempotencyKey),
    [a.idempotencyKey, b.idempotencyKey],
  );
  assert.equal(box.pending().length, 0);
});
