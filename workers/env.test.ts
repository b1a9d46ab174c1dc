import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { parseWorkerEnv } from './env';

const envOf = (vars: Record<string, string>) => ({ NATS_URL: 'nats://127.0.0.1:4222', ...vars }) as unknown as NodeJS.ProcessEnv;

test('the kernel sandbox settings are validated with the rest of the worker env', () => {
  assert.throws(
    () => parseWorkerEnv(envOf({ FERRY_UNSAFE_KERNELS: 'true', FERRY_KERNEL_BWRAP: 'bwrap' })),
    (e: Error) => /FERRY_UNSAFE_KERNELS/.test(e.message) && /FERRY_KERNEL_BWRAP: must be an absolute path/.test(e.message),
  );
  const env = parseWorkerEnv(envOf({ FERRY_DATA_DIR: 'data', FERRY_KERNEL_MAX_FILE_MB: '2' }));
  assert.equal(env.sandbox.unsafe, false);
  assert.equal(env.sandbox.bwrap, '/usr/bin/bwrap');
  assert.deepEqual(env.sandbox.uidRange, { base: 200_000, count: 1000 });
  assert.equal(env.sandbox.limits.maxFileBytes, 2 * 1024 * 1024);
  assert.deepEqual(env.sandbox.hiddenPaths, [resolve('data')], "the server's data dir, if it is on this machine, stays hidden");
  assert.equal(parseWorkerEnv(envOf({ FERRY_UNSAFE_KERNELS: '1' })).sandbox.unsafe, true);
});
