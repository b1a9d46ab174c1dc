import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canRun, whyNoWorker, type WorkerCapabilities } from './capability-match';

const cpu: WorkerCapabilities = { workerId: 'w-cpu', backend: 'wasm', labels: ['embedded'], gpu: null };
const gpu: WorkerCapabilities = {
  workerId: 'w-gpu',
  backend: 'tensorflow (GPU)',
  labels: ['big'],
  gpu: { name: 'H200', memoryMb: 141_000 },
};

test('a job goes to workers that have what it needs', () => {
  assert.equal(canRun(cpu, { gpu: false }), true);
  assert.equal(canRun(cpu, { gpu: true }), false);
  assert.equal(canRun(gpu, { gpu: true, label: 'big' }), true);
  assert.equal(canRun(gpu, { gpu: false, label: 'small' }), false);
});

test('when nobody can, the reason names what is missing and what the fleet has', () => {
  assert.equal(whyNoWorker([cpu, gpu], { gpu: true }), null);
  assert.equal(whyNoWorker([], { gpu: false }), 'no worker is connected: start one with `npm run worker`');
  assert.equal(whyNoWorker([cpu], { gpu: true }), 'no connected worker has a GPU; the fleet: w-cpu (wasm, no GPU, labels: embedded)');
  assert.match(
    whyNoWorker([cpu, gpu], { gpu: true, label: 'x' })!,
    /no connected worker has a GPU and the label "x"; the fleet: w-cpu .*; w-gpu \(tensorflow \(GPU\), H200, labels: big\)/,
  );
});
