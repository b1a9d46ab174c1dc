import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { CellOutput } from '../../core/contracts/messages/outputs';
import { Kernel, type ExecuteResult } from './kernel';
import { prepareKernelLauncher } from './kernel-sandbox';
import { kernelSandboxConfigFromEnv } from './sandbox-config';

const job = {
  executionId: '',
  notebookId: randomUUID(),
  notebookVersionId: randomUUID(),
  cellId: 'c1',
  helperApi: { url: 'http://127.0.0.1:9', token: 'unused' },
};

async function run(
  kernel: Kernel,
  code: string,
  limits = { timeoutMs: 30_000, memoryMb: 512 },
): Promise<ExecuteResult & { outputs: CellOutput[] }> {
  const outputs: CellOutput[] = [];
  const executionId = randomUUID();
  const result = await kernel.execute(
    { executionId, code, language: 'typescript', cellLabel: 'cell [1]', job: { ...job, executionId }, limits },
    (o) => outputs.push(o),
  );
  return { ...result, outputs };
}

const text = (outputs: CellOutput[]) =>
  outputs
    .map((o) =>
      o.output_type === 'stream'
        ? o.text
        : o.output_type === 'execute_result'
          ? String(o.data['text/plain'])
          : o.output_type === 'error'
            ? `${o.ename}: ${o.evalue}`
            : '',
    )
    .join('');

describe('kernel', () => {
  let kernel: Kernel;
  // The kernel runs as a worker starts it: in the sandbox, refused (and failing here) without one.
  before(async () => {
    kernel = new Kernel(randomUUID(), await prepareKernelLauncher(kernelSandboxConfigFromEnv()));
    await kernel.start(512);
  });
  after(() => kernel.shutdown());

  test('declarations persist between cells, TypeScript and top-level await work', async () => {
    assert.equal(
      (
        await run(
          kernel,
          'const a: number = 20;\nlet { b } = { b: 1 };\nfunction add(x: number) { return x + a + b; }\nclass Box { v = 3 }',
        )
      ).status,
      'ok',
    );
    const r = await run(kernel, 'const got = await Promise.resolve(add(new Box().v));\ngot * 2');
    assert.equal(r.status, 'ok');
    assert.equal(text(r.outputs), '48');
    // Re-running a cell that declares a const works, as users expect in a notebook.
    assert.equal((await run(kernel, 'const a: number = 1; a')).status, 'ok');
  });

  test('console output streams in order; display() gives rich output', async () => {
    const r = await run(
      kernel,
      "console.log('one'); console.error('two'); process.stdout.write('three\\n'); display({ html: '<b>x</b>' }); 'end'",
    );
    assert.deepEqual(
      r.outputs.map((o) => o.output_type + (o.output_type === 'stream' ? `:${o.name}:${o.text.trim()}` : '')),
      ['stream:stdout:one', 'stream:stderr:two', 'stream:stdout:three', 'display_data', 'execute_result'],
    );
  });

  test('errors carry a traceback into the cell with the cell line numbers', async () => {
    const r = await run(
      kernel,
      "type T = { x: number };\nconst t: T = { x: 1 };\nfunction boom() {\n  throw new RangeError('too far');\n}\nboom();",
    );
    assert.equal(r.status, 'error');
    const err = r.outputs.find((o) => o.output_type === 'error');
    assert.ok(err && err.output_type === 'error');
    assert.equal(err.ename, 'RangeError');
    assert.ok(
      err.traceback.some((l) => /boom \(cell \[1\], line 4\)/.test(l)),
      err.traceback.join('\n'),
    );
    const syntax = await run(kernel, 'const = 1');
    assert.equal(syntax.status, 'error');
    assert.match(text(syntax.outputs), /SyntaxError/);
  });

  test('tf is there on a named backend', async () => {
    assert.match(kernel.backend, /wasm|cpu|tensorflow/);
    const r = await run(kernel, 'tf.tensor([1, 2, 3]).sum().dataSync()[0]');
    assert.equal(text(r.outputs), '6');
  });

  test('interrupt stops a cell that awaits and keeps the kernel’s variables', async () => {
    assert.equal((await run(kernel, 'var kept = 41;\nconst alsoKept = { n: 1 };')).status, 'ok');
    const pending = run(kernel, 'let ticks = 0;\nwhile (true) { await new Promise((r) => setTimeout(r, 20)); ticks++; }');
    await new Promise((r) => setTimeout(r, 500));
    kernel.interrupt();
    const r = await pending;
    assert.equal(r.status, 'interrupted');
    assert.match(text(r.outputs), /KeyboardInterrupt: the cell was interrupted; the kernel and its variables are kept/);
    assert.equal(text((await run(kernel, 'kept + alsoKept.n')).outputs), '42', 'the variables survived');
    const before = text((await run(kernel, 'ticks')).outputs);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(text((await run(kernel, 'ticks')).outputs), before, 'the interrupted loop no longer advances');
  });

  test('interrupt stops an infinite loop and the kernel runs again', async () => {
    const pending = run(kernel, 'while (true) {}');
    await new Promise((r) => setTimeout(r, 500));
    kernel.interrupt();
    const r = await pending;
    assert.equal(r.status, 'interrupted');
    assert.match(text(r.outputs), /interrupted/);
    assert.equal(text((await run(kernel, '1 + 1')).outputs), '2');
  });

  test('time limit and memory limit each give a clear message and the kernel survives', async () => {
    const slow = await run(kernel, 'while (true) {}', { timeoutMs: 800, memoryMb: 512 });
    assert.equal(slow.status, 'timeout');
    const hog = await run(kernel, 'const keep: number[][] = []; while (true) keep.push(new Array(1e6).fill(1));', {
      timeoutMs: 60_000,
      memoryMb: 128,
    });
    assert.equal(hog.status, 'memory-limit');
    assert.match(text(hog.outputs), /memory limit \(128 MB\)/);
    assert.equal(text((await run(kernel, '"alive"')).outputs), "'alive'");
  });
});
