import { Console } from 'node:console';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { runInThisContext } from 'node:vm';
import type { CellOutput } from '../../core/contracts/messages/outputs';
import { compileCell, CellSyntaxError } from './cell-compiler';
import { endRun } from './active-run';
import { createFerryHelpers, settleRun, type FerryHelpers } from './ferry-helpers';
import { createDisplay, resultOutput } from './format-value';
import { KernelInterrupt, runInterruptible, trackCellTimers } from './interruptible';
import type { ExecuteMessage, FromKernel, ToKernel } from './ipc';
import { loadBestTf } from './tf-backend';
import { errorOutput } from './traceback';

// The kernel child process: one per notebook session. Cells run in this process's global scope, so
// their declarations persist; everything they print is streamed to the worker as outputs.

const send = (msg: FromKernel) => process.send?.(msg);
let current: { executionId: string; interrupt?: () => void } | null = null;
let executionCount = 0;
let helpers: FerryHelpers | null = null;
let backend = '';

function emit(output: CellOutput) {
  if (current) send({ type: 'output', executionId: current.executionId, output });
}

function streamTo(name: 'stdout' | 'stderr') {
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      emit({ output_type: 'stream', name, text: chunk.toString() });
      done();
    },
  });
}

function captureOutput() {
  const stdout = streamTo('stdout');
  const stderr = streamTo('stderr');
  globalThis.console = new Console({ stdout, stderr, colorMode: false });
  // Writes from libraries that bypass console still reach the cell's output.
  process.stdout.write = ((chunk: string | Uint8Array) => stdout.write(chunk)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => stderr.write(chunk)) as typeof process.stderr.write;
}

async function main() {
  const tfLoad = await loadBestTf();
  backend = tfLoad.backend;
  const requireFromProject = createRequire(`${process.cwd()}/package.json`);
  const g = globalThis as Record<string, unknown>;
  g.tf = tfLoad.tf;
  g.display = createDisplay(emit);
  g.__ferryImport = async (spec: string) => import(spec.startsWith('.') || spec.startsWith('/') ? spec : requireFromProject.resolve(spec));
  captureOutput();
  process.on('unhandledRejection', (reason) => {
    if (current) emit(errorOutput(reason, { filename: '', label: 'async' }));
  });
  trackCellTimers();
  process.on('message', (msg: ToKernel) => {
    if (msg.type === 'execute') void execute(msg);
    else if (msg.type === 'interrupt' && current?.executionId === msg.executionId) current.interrupt?.();
  });
  send({ type: 'ready', backend: tfLoad.backend, backendLog: tfLoad.log });
}

async function execute(msg: ExecuteMessage) {
  current = { executionId: msg.executionId };
  const count = ++executionCount;
  const filename = `${msg.cellLabel.replace(/\W+/g, '_')}-${count}.js`;
  helpers = createFerryHelpers(msg.job, msg.code, () => (globalThis as unknown as { tf: never }).tf, { backend, executionCount: count });
  (globalThis as Record<string, unknown>).ferry = helpers;
  let ok = true;
  let interrupted = false;
  let sourceMap: string | undefined;
  try {
    // Run all / Run below, a retraining, a training attempt: one new run for the chain that starts here.
    if (msg.job.opensRun) await endRun(msg.job, 'finished');
    const compiled = compileCell(msg.code, filename, msg.language);
    sourceMap = compiled.sourceMap;
    const cell = runInterruptible(async () => (await runInThisContext(compiled.code, { filename })) as { value: unknown } | undefined);
    current.interrupt = cell.interrupt;
    const result = await cell.done;
    if (result) {
      const output = resultOutput(result.value, count);
      if (output) emit(output);
    }
  } catch (error) {
    ok = false;
    if (error instanceof KernelInterrupt) {
      interrupted = true;
      emit({ output_type: 'error', ename: error.name, evalue: error.message, traceback: [] });
    } else if (error instanceof CellSyntaxError) {
      emit({
        output_type: 'error',
        ename: 'SyntaxError',
        evalue: error.message,
        traceback: [`SyntaxError: ${error.message}`, `    at ${msg.cellLabel}, line ${error.line}`],
      });
    } else emit(errorOutput(error, { filename, label: msg.cellLabel, sourceMap }));
  }
  try {
    await settleRun(helpers, msg.job, interrupted ? 'interrupted' : ok ? 'ok' : 'error');
  } catch (error) {
    ok = false;
    emit(errorOutput(error, { filename: '', label: msg.cellLabel }));
  }
  send({ type: 'done', executionId: msg.executionId, ok, ...(interrupted ? { interrupted } : {}) });
  current = null;
}

// A kernel whose worker died (kill -9, crash) must not run on as an orphan: its job goes to another
// worker, and two copies of a training would write the same checkpoints.
process.on('disconnect', () => process.exit(1));

main().catch((error: unknown) => {
  process.stderr.write(`kernel failed to start: ${String(error)}\n`);
  process.exit(1);
});
