import { promisify } from 'node:util';

// Cooperative interruption for a JavaScript kernel. A cell cannot be pre-empted, but almost every
// long-running cell waits on timers (training loops, polling, tfjs' own scheduling): the timers a cell
// creates are tracked, and an interrupt clears them and abandons the cell's await, so the cell stops
// advancing while the kernel's variables stay. A cell that never yields is left to the worker, which
// restarts the kernel after a grace period.

export class KernelInterrupt extends Error {
  constructor() {
    super('the cell was interrupted; the kernel and its variables are kept');
    this.name = 'KeyboardInterrupt';
  }
}

interface Tracked {
  timeouts: Set<ReturnType<typeof setTimeout>>;
  intervals: Set<ReturnType<typeof setInterval>>;
  immediates: Set<ReturnType<typeof setImmediate>>;
  interrupt: () => void;
}

let current: Tracked | null = null;

/** Replaces the global timer functions with ones that remember which cell made each timer. */
export function trackCellTimers(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const wrap = <F extends (...args: never[]) => unknown>(name: string, pick: (t: Tracked) => Set<unknown>) => {
    const native = g[name] as F & { [promisify.custom]?: unknown };
    const wrapped = ((...args: Parameters<F>) => {
      const handle = native(...args);
      if (current) pick(current).add(handle);
      return handle;
    }) as unknown as F & { [promisify.custom]?: unknown };
    // `await promisify(setTimeout)(ms)` and friends keep working.
    if (native[promisify.custom]) wrapped[promisify.custom] = native[promisify.custom];
    g[name] = wrapped;
  };
  wrap('setTimeout', (t) => t.timeouts);
  wrap('setInterval', (t) => t.intervals);
  wrap('setImmediate', (t) => t.immediates);
}

/**
 * Runs a cell's promise so that an interrupt rejects it with KernelInterrupt after clearing the
 * timers the cell created.
 */
export function runInterruptible<T>(start: () => Promise<T>): { done: Promise<T>; interrupt: () => void } {
  let reject: (error: Error) => void = () => undefined;
  const interrupted = new Promise<never>((_, r) => (reject = r));
  const tracked: Tracked = {
    timeouts: new Set(),
    intervals: new Set(),
    immediates: new Set(),
    interrupt: () => {
      for (const t of tracked.timeouts) clearTimeout(t);
      for (const t of tracked.intervals) clearInterval(t);
      for (const t of tracked.immediates) clearImmediate(t);
      reject(new KernelInterrupt());
    },
  };
  current = tracked;
  const done = Promise.race([start(), interrupted]).finally(() => {
    if (current === tracked) current = null;
  });
  return { done, interrupt: tracked.interrupt };
}
