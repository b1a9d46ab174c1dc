import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CellOutput } from '../../core/contracts/messages/outputs';
import type { CellEvent, CellJob } from '../../core/contracts/messages/cell-execution';
import type { FromKernel, KernelJobInfo } from './ipc';
import type { KernelLauncher } from './kernel-sandbox';

// The worker's handle on one kernel child process. A cell that must be stopped (interrupt, time limit)
// stops the whole child: JavaScript cannot pre-empt a synchronous loop, and a clean restart beats a
// half-stopped kernel. The user is told their variables were lost.

export type ExecutionStatus = Extract<CellEvent, { type: 'finished' }>['status'];

export interface ExecuteRequest {
  executionId: string;
  code: string;
  language: CellJob['language'];
  cellLabel: string;
  job: KernelJobInfo;
  limits: { timeoutMs: number; memoryMb: number };
}

export interface ExecuteResult {
  status: ExecutionStatus;
  executionCount: number | null;
  durationMs: number;
}

const entry = fileURLToPath(new URL('./kernel-entry.mjs', import.meta.url));
const START_TIMEOUT_MS = 60_000;

/** Why a kernel process ended, in the user's words; a sandboxed kernel's signal arrives as bwrap's exit code 128 + n. */
function deathMessage(code: number | null, signal: NodeJS.Signals | null): string {
  const fromCode = code !== null && code > 128 ? Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0] : undefined;
  const name = signal ?? fromCode;
  if (name === 'SIGXCPU') {
    return 'the kernel used up its CPU time limit (FERRY_KERNEL_CPU_SECONDS); it restarts on the next run and its variables are gone';
  }
  return `the kernel process died (${name ?? `exit code ${code}`}); it restarts on the next run and its variables are gone`;
}

/** How long an interrupted cell has to stop by itself before the kernel is restarted. */
const INTERRUPT_GRACE_MS = 3000;

export class Kernel {
  backend = 'starting';
  executionCount = 0;
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private memoryMb = 2048;
  private running: { executionId: string; stop: (status: ExecutionStatus, message: string) => void } | null = null;

  constructor(
    readonly kernelId: string,
    private readonly launcher: KernelLauncher,
  ) {}

  /** Starts the child if it is not running (first use, or after a restart). */
  start(memoryMb = this.memoryMb): Promise<void> {
    if (this.ready && this.child && this.child.exitCode === null && this.memoryMb === memoryMb) return this.ready;
    this.kill();
    this.memoryMb = memoryMb;
    let child: ChildProcess;
    try {
      child = this.launcher.launch(entry, [`--max-old-space-size=${memoryMb}`]).child;
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.child = child;
    let stderrTail = '';
    child.stderr?.on('data', (d: Buffer) => (stderrTail = (stderrTail + d.toString()).slice(-4000)));
    child.stdout?.resume();
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      this.ready = null;
      const oom = /heap out of memory|Allocation failed/i.test(stderrTail);
      this.running?.stop(
        oom ? 'memory-limit' : 'kernel-died',
        oom
          ? `the cell used more than the kernel's memory limit (${this.memoryMb} MB); the kernel restarted and its variables are gone`
          : deathMessage(code, signal),
      );
    });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('kernel did not start in time')), START_TIMEOUT_MS);
      const onMessage = (msg: FromKernel) => {
        if (msg.type !== 'ready') return;
        clearTimeout(timer);
        child.off('message', onMessage);
        this.backend = msg.backend;
        resolve();
      };
      child.on('message', onMessage);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`kernel could not be started: ${error.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`kernel exited during start (code ${code}): ${stderrTail.trim().split('\n').slice(-12).join(' ')}`));
      });
    });
    this.ready = ready;
    return ready;
  }

  async execute(req: ExecuteRequest, onOutput: (output: CellOutput) => void): Promise<ExecuteResult> {
    const started = Date.now();
    try {
      await this.start(req.limits.memoryMb);
    } catch (error) {
      onOutput({ output_type: 'error', ename: 'KernelError', evalue: (error as Error).message, traceback: [] });
      return { status: 'kernel-died', executionCount: null, durationMs: Date.now() - started };
    }
    const child = this.child!;
    const count = ++this.executionCount;
    return new Promise<ExecuteResult>((resolve) => {
      let finished = false;
      const finish = (status: ExecutionStatus) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        child.off('message', onMessage);
        this.running = null;
        resolve({ status, executionCount: count, durationMs: Date.now() - started });
      };
      const stop = (status: ExecutionStatus, message: string) => {
        onOutput({
          output_type: 'error',
          ename:
            status === 'interrupted'
              ? 'KernelInterrupted'
              : status === 'timeout'
                ? 'TimeoutError'
                : status === 'memory-limit'
                  ? 'MemoryLimitError'
                  : 'KernelDied',
          evalue: message,
          traceback: [],
        });
        finish(status);
      };
      const onMessage = (msg: FromKernel) => {
        if (msg.type === 'output' && msg.executionId === req.executionId) onOutput(msg.output);
        if (msg.type === 'done' && msg.executionId === req.executionId) finish(msg.interrupted ? 'interrupted' : msg.ok ? 'ok' : 'error');
      };
      const timer = setTimeout(() => {
        this.kill();
        stop(
          'timeout',
          `the cell ran longer than its limit of ${Math.round(req.limits.timeoutMs / 1000)} s and was stopped; the kernel restarted and its variables are gone`,
        );
      }, req.limits.timeoutMs);
      this.running = { executionId: req.executionId, stop };
      child.on('message', onMessage);
      child.send({
        type: 'execute',
        executionId: req.executionId,
        code: req.code,
        language: req.language,
        cellLabel: req.cellLabel,
        job: req.job,
      });
    });
  }

  /**
   * Stops the running cell the way a Jupyter interrupt does: the kernel clears the cell's timers and
   * abandons its await, so the kernel and everyone's variables stay. A cell that does not answer within
   * `graceMs` (a synchronous loop never yields) is stopped by restarting the kernel, and says so.
   */
  interrupt(graceMs = INTERRUPT_GRACE_MS): void {
    const running = this.running;
    if (!running) return;
    this.child?.send({ type: 'interrupt', executionId: running.executionId });
    const timer = setTimeout(() => {
      if (this.running !== running) return;
      this.kill();
      running.stop(
        'interrupted',
        `the cell did not stop within ${graceMs / 1000} s of the interrupt (a synchronous loop cannot be interrupted), so the kernel restarted and its variables are gone`,
      );
    }, graceMs);
    timer.unref();
  }

  /** Stops the running cell at once by killing the kernel (restart, shutdown). */
  private forceStop(): void {
    const running = this.running;
    if (!running) return;
    this.kill();
    running.stop('interrupted', 'the kernel was restarted while the cell ran; its variables are gone');
  }

  async restart(): Promise<void> {
    this.forceStop();
    this.kill();
    this.executionCount = 0;
    await this.start();
  }

  shutdown(): void {
    this.forceStop();
    this.kill();
  }

  get busy(): boolean {
    return this.running !== null;
  }

  private kill() {
    const child = this.child;
    this.child = null;
    this.ready = null;
    child?.kill('SIGKILL');
  }
}
