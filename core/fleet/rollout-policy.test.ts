import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseCanaries, decideRollout, pickVariant, targetFor, type RolloutDeployment } from './rollout-policy';

const devices = Array.from({ length: 200 }, (_, i) => `device-${i}`);

function buildDeployment(overrides: Partial<RolloutDeployment> = {}): RolloutDeployment {
  return {
    id: 'dep-1',
    status: 'active',
    stage: 'canary',
    versionId: 'v2',
    previousVersionId: 'v1',
    canaryDeviceIds: ['device-3'],
    variantVersionId: null,
    variantPercent: 0,
    ...overrides,
  };
}

test('canaries are the requested share, at least one, stable and independent of order', () => {
  const a = chooseCanaries('dep-1', devices, 10);
  assert.equal(a.length, 20);
  assert.deepEqual(chooseCanaries('dep-1', [...devices].reverse(), 10), a);
  assert.notDeepEqual(chooseCanaries('dep-2', devices, 10), a, 'another deployment picks other canaries');
  assert.equal(chooseCanaries('dep-1', devices.slice(0, 3), 1).length, 1);
  assert.equal(chooseCanaries('dep-1', devices, 0).length, 0);
  assert.equal(chooseCanaries('dep-1', devices, 100).length, 200);
});

test('during a canary only canaries get the new version; the rest keep the previous one', () => {
  const d = buildDeployment();
  assert.equal(targetFor(d, 'device-3')?.versionId, 'v2');
  assert.equal(targetFor(d, 'device-4')?.versionId, 'v1');
  assert.equal(targetFor({ ...d, previousVersionId: null }, 'device-4'), null);
  assert.equal(targetFor({ ...d, stage: 'full' }, 'device-4')?.versionId, 'v2');
});

test('halted and rolled-back deployments send everyone back to the previous version', () => {
  for (const status of ['halted', 'rolled_back'] as const) {
    assert.equal(targetFor(buildDeployment({ status, stage: 'full' }), 'device-3')?.versionId, 'v1');
  }
});

test('an A/B deployment names the variant and its share', () => {
  const t = targetFor(buildDeployment({ stage: 'full', variantVersionId: 'v3', variantPercent: 30 }), 'device-9');
  assert.deepEqual(t, { versionId: 'v2', variant: { versionId: 'v3', percent: 30 } });
});

test('a rollout halts once failures pass the threshold, and not at it', () => {
  const d = { status: 'active' as const, stage: 'canary' as const, haltThreshold: 0.25, autoAdvance: true, versionLabel: 'm v2' };
  assert.deepEqual(decideRollout(d, { targeted: 4, failed: 1, healthy: 3 }), { action: 'none' });
  const halt = decideRollout(d, { targeted: 4, failed: 2, healthy: 2 });
  assert.equal(halt.action, 'halt');
  assert.match(halt.action === 'halt' ? halt.reason : '', /2 of 4 canary devices failed m v2/);
  assert.deepEqual(decideRollout(d, { targeted: 4, failed: 0, healthy: 4 }), { action: 'advance' });
  assert.deepEqual(decideRollout({ ...d, autoAdvance: false }, { targeted: 4, failed: 0, healthy: 4 }), { action: 'none' });
  assert.deepEqual(decideRollout({ ...d, haltThreshold: 0 }, { targeted: 10, failed: 1, healthy: 9 }).action, 'halt');
  assert.deepEqual(decideRollout({ ...d, status: 'halted' }, { targeted: 4, failed: 4, healthy: 0 }), { action: 'none' });
});

test('A/B assignment follows the percentage and is stable per key', () => {
  let hits = 0;
  for (let i = 0; i < 20_000; i++) if (pickVariant(30, `req-${i}`)) hits++;
  assert.ok(Math.abs(hits / 20_000 - 0.3) < 0.02, `got ${hits / 20_000}`);
  assert.equal(pickVariant(30, 'req-7'), pickVariant(30, 'req-7'));
  assert.equal(pickVariant(0, 'x'), false);
});
