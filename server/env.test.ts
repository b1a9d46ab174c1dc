import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnvError, parseServerEnv } from './env';

const envOf = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;

test('the embedded workers’ kernel sandbox settings are validated with the server env', () => {
  assert.throws(
    () => parseServerEnv(envOf({ FERRY_UNSAFE_KERNELS: 'yes', FERRY_KERNEL_UID_COUNT: '0' })),
    (e: unknown) =>
      e instanceof EnvError &&
      e.problems.some((p) => p.startsWith('FERRY_UNSAFE_KERNELS:')) &&
      e.problems.some((p) => p.startsWith('FERRY_KERNEL_UID_COUNT:')),
  );
  const env = parseServerEnv(envOf({ FERRY_UNSAFE_KERNELS: '1', FERRY_KERNEL_CPU_SECONDS: '60' }));
  assert.equal(env.FERRY_UNSAFE_KERNELS, '1');
  assert.equal(env.FERRY_KERNEL_CPU_SECONDS, 60);
  assert.equal(parseServerEnv(envOf({})).FERRY_UNSAFE_KERNELS, '0');
});
