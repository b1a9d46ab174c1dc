import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { AppError, invalid } from '../errors';
import type { HeavyResult, HeavyTask, RefusedInput } from './heavy-tasks';

// Work whose cost the caller controls (parsing uploads, building documents) runs on a small pool of
// worker threads with a time and memory limit per task. Piscina, because a well-kept pool already
// queues, aborts (terminating the thread) and caps memory; writing that again would only be worse.

export interface HeavyWork {
  /** Runs a task off the request thread; a refused input becomes a 400, a task past its limits a 413. */
  run<T extends HeavyTask>(task: T, opts?: { timeoutMs?: number }): Promise<Exclude<HeavyResult<T>, RefusedInput>>;
  close(): Promise<void>;
}

export interface HeavyWorkOptions {
  timeoutMs: number;
  memoryMb: number;
  threads?: number;
}

const isRefused = (value: unknown): value is RefusedInput =>
  typeof value === 'object' && value !== null && typeof (value as RefusedInput).refused === 'string';

/** The pool the server's operations share; threads start on first use and leave when idle. */
export function createHeavyWork(opts: HeavyWorkOptions): HeavyWork {
  const pool = new Piscina({
    filename: new URL('./heavy-tasks.ts', import.meta.url).href,
    minThreads: 0,
    // One core stays free for requests, however many the machine has.
    maxThreads: opts.threads ?? Math.max(1, availableParallelism() - 1),
    idleTimeout: 30_000,
    resourceLimits: { maxOldGenerationSizeMb: opts.memoryMb },
  });
  return {
    async run(task, runOpts) {
      const timeoutMs = runOpts?.timeoutMs ?? opts.timeoutMs;
      let result: unknown;
      try {
        result = await pool.run(task, { signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw limitError(error, timeoutMs, opts.memoryMb);
      }
      if (isRefused(result)) throw invalid(result.refused);
      return result as Exclude<HeavyResult<typeof task>, RefusedInput>;
    },
    close: () => pool.destroy(),
  };
}

function limitError(error: unknown, timeoutMs: number, memoryMb: number): unknown {
  const e = error as { name?: string; code?: string; message?: string };
  if (e?.name === 'AbortError')
    return new AppError('PAYLOAD_TOO_LARGE', `the file took longer than ${Math.round(timeoutMs / 1000)} s to read; send a smaller one`);
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY')
    return new AppError('PAYLOAD_TOO_LARGE', `reading the file needed more than ${memoryMb} MB; send a smaller one`);
  return error;
}
