import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { WORKER_ENV_KEYS } from '../workers/env';
import { EnvError, parseServerEnv, SERVER_ENV_KEYS } from './env';

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

test('README’s environment table names every variable the server and the workers read', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const missing = [...SERVER_ENV_KEYS, ...WORKER_ENV_KEYS].filter((k) => !readme.includes(`\`${k}\``));
  assert.deepEqual(missing, [], 'add these to README’s "Environment variables"');
});

test('settings read at load time are validated: a typo is an error naming the variable, not NaN', () => {
  assert.throws(
    () => parseServerEnv(envOf({ FERRY_MAX_DOCUMENT_BYTES: '30MB', FERRY_TRAINING_TOKEN_TTL_MS: '-1' })),
    (e: Error) => /FERRY_MAX_DOCUMENT_BYTES/.test(e.message) && /FERRY_TRAINING_TOKEN_TTL_MS/.test(e.message),
  );
});
