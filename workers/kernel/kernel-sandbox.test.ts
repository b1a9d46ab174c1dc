import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { prepareKernelLauncher } from './kernel-sandbox';
import { claimKernelUid } from './kernel-uids';
import { kernelSandboxConfigFromEnv } from './sandbox-config';

const claims = mkdtempSync(join(tmpdir(), 'ferry-uids-'));
after(() => rmSync(claims, { recursive: true, force: true }));

test('without bubblewrap the worker refuses kernels, and the refusal names the fix', async () => {
  const launcher = await prepareKernelLauncher(kernelSandboxConfigFromEnv({ FERRY_KERNEL_BWRAP: '/nonexistent/bwrap' }));
  assert.equal(launcher.mode, 'refused');
  assert.match(launcher.description, /^refused \(no sandbox\): bubblewrap is not installed \(\/nonexistent\/bwrap is missing\)/);
  assert.throws(() => launcher.launch('/dev/null', []), /apt-get install bubblewrap.*FERRY_UNSAFE_KERNELS=1/);
});

test('a bubblewrap that cannot build the sandbox fails the self-test: refused too', async () => {
  const launcher = await prepareKernelLauncher(kernelSandboxConfigFromEnv({ FERRY_KERNEL_BWRAP: '/bin/false' }));
  assert.equal(launcher.mode, 'refused');
  assert.match(launcher.description, /self-test failed \(exit code 1\)/);
});

test('FERRY_UNSAFE_KERNELS=1 runs kernels unsandboxed and says so', async () => {
  const launcher = await prepareKernelLauncher(
    kernelSandboxConfigFromEnv({ FERRY_UNSAFE_KERNELS: '1', FERRY_KERNEL_BWRAP: '/nonexistent/bwrap' }),
  );
  assert.equal(launcher.mode, 'unsafe');
  assert.equal(launcher.description, 'UNSAFE: kernels not sandboxed (FERRY_UNSAFE_KERNELS=1)');
});

test('bad sandbox settings are refused with the variable named', () => {
  assert.throws(() => kernelSandboxConfigFromEnv({ FERRY_KERNEL_UID_BASE: '0' }), /FERRY_KERNEL_UID_BASE/);
  assert.throws(() => kernelSandboxConfigFromEnv({ FERRY_UNSAFE_KERNELS: 'yes' }), /FERRY_UNSAFE_KERNELS/);
});

test('kernel uids: one holder each, a dead holder’s claim is taken back, an exhausted range says what to raise', () => {
  const range = { base: 300_000, count: 2 };
  const a = claimKernelUid(range, claims);
  const b = claimKernelUid(range, claims);
  assert.notEqual(a.uid, b.uid);
  assert.throws(() => claimKernelUid(range, claims), /all 2 kernel uids \(300000–300001\) are in use: raise FERRY_KERNEL_UID_COUNT/);
  a.release();
  const c = claimKernelUid(range, claims);
  assert.equal(c.uid, a.uid);
  // A claim left by a worker that died (no such pid) is free again.
  writeFileSync(join(claims, String(b.uid)), '999999999');
  const d = claimKernelUid(range, claims);
  assert.equal(d.uid, b.uid);
  c.release();
  d.release();
});
