import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { CellOutput } from '../../core/contracts/messages/outputs';
import { Kernel } from './kernel';
import { prepareKernelLauncher } from './kernel-sandbox';
import { claimKernelUid, sweepStaleKernelUids } from './kernel-uids';
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
  writeFileSync(join(claims, '300005'), '999999999');
  sweepStaleKernelUids(claims);
  assert.ok(!existsSync(join(claims, '300005')), "a dead worker's claim is swept at start");
  assert.ok(existsSync(join(claims, String(c.uid))), 'a live claim stays');
  c.release();
  d.release();
});

test('the limits hold inside the sandbox: CPU time ends the kernel with a clear message, file size and open files fail the call', async (c) => {
  if (!existsSync('/usr/bin/bwrap')) {
    if (process.env.CI === 'true') throw new Error('bubblewrap is missing (/usr/bin/bwrap); CI requires it (.ci/run installs it)');
    return c.skip('bubblewrap is missing (/usr/bin/bwrap)');
  }
  const launcher = await prepareKernelLauncher(
    kernelSandboxConfigFromEnv({ FERRY_KERNEL_CPU_SECONDS: '6', FERRY_KERNEL_MAX_FILE_MB: '4', FERRY_KERNEL_MAX_OPEN_FILES: '256' }),
  );
  assert.equal(launcher.mode, 'bubblewrap', launcher.description);
  const kernel = new Kernel(randomUUID(), launcher);
  try {
    await kernel.start(256);
    const big = await run(kernel, "import * as fs from 'node:fs';\nfs.writeFileSync('/tmp/big', Buffer.alloc(8 * 1024 * 1024));");
    assert.equal(big.status, 'error');
    assert.match(big.text, /EFBIG/);
    const files = await run(kernel, "const fds: number[] = [];\nfor (let i = 0; i < 400; i++) fds.push(fs.openSync('/tmp/f' + i, 'w'));");
    assert.equal(files.status, 'error');
    assert.match(files.text, /EMFILE/);
    const spin = await run(kernel, 'while (true) {}');
    assert.equal(spin.status, 'kernel-died');
    assert.match(spin.text, /CPU time limit \(FERRY_KERNEL_CPU_SECONDS\)/);
    assert.equal((await run(kernel, '1 + 1')).text, '2', 'the kernel restarts on the next run');
  } finally {
    kernel.shutdown();
  }
});

async function run(kernel: Kernel, code: string) {
  const outputs: CellOutput[] = [];
  const executionId = randomUUID();
  const job = { executionId, notebookId: 'n', notebookVersionId: 'v', cellId: 'c', helperApi: { url: 'http://127.0.0.1:9', token: 't' } };
  const result = await kernel.execute(
    { executionId, code, language: 'typescript', cellLabel: 'cell', job, limits: { timeoutMs: 60_000, memoryMb: 256 } },
    (o) => outputs.push(o),
  );
  const text = outputs
    .map((o) =>
      o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : o.output_type === 'execute_result' ? String(o.data['text/plain']) : '',
    )
    .join('');
  return { status: result.status, text };
}
