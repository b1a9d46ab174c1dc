import type { Bus, Subscription } from '../../core/bus/port';
import { subjects } from '../../core/contracts/subjects';
import { workerHeartbeatSchema, type WorkerHeartbeat } from '../../core/contracts/messages/worker-heartbeat';
import type { Logger } from '../log';

/** Live view of the worker fleet, fed by heartbeats; a worker silent for this long is gone. */
export const WORKER_TIMEOUT_MS = 10_000;

export interface WorkerRegistry {
  list(now?: number): Array<WorkerHeartbeat & { lastSeen: number }>;
  count(now?: number): number;
  /** Called once for each worker that says goodbye or stops sending heartbeats. */
  onGone(listener: (workerId: string) => void): void;
  close(): Promise<void>;
}

export async function createWorkerRegistry(bus: Bus, log: Logger): Promise<WorkerRegistry> {
  const seen = new Map<string, WorkerHeartbeat & { lastSeen: number }>();
  const subs: Subscription[] = [];
  const listeners: Array<(workerId: string) => void> = [];
  const gone = (workerId: string, why: string) => {
    if (!seen.delete(workerId)) return;
    log.info('worker left', { workerId, why });
    for (const listener of listeners) listener(workerId);
  };
  // A worker killed with -9 says nothing: its silence is the sign. But while our own bus connection is
  // down every worker is silent, and after it returns their heartbeats need a timeout's worth of time
  // to be heard again: silence in that window says nothing about the workers.
  let busLastDown = 0;
  const sweep = setInterval(() => {
    const now = Date.now();
    if (!bus.connected()) busLastDown = now;
    if (now - busLastDown < WORKER_TIMEOUT_MS) return;
    for (const w of [...seen.values()]) if (now - w.lastSeen >= WORKER_TIMEOUT_MS) gone(w.workerId, 'no heartbeat');
  }, 1000);
  sweep.unref();
  subs.push(
    await bus.subscribe(subjects.workerHeartbeat, (msg) => {
      const parsed = workerHeartbeatSchema.safeParse(msg.json());
      if (!parsed.success) return log.warn('ignored malformed heartbeat', { issues: parsed.error.issues.length });
      if (!seen.has(parsed.data.workerId)) log.info('worker joined', { workerId: parsed.data.workerId, backend: parsed.data.backend });
      seen.set(parsed.data.workerId, { ...parsed.data, lastSeen: Date.now() });
    }),
  );
  subs.push(
    await bus.subscribe(subjects.workerGone, (msg) => {
      const id = (msg.json() as { workerId?: string }).workerId;
      if (id) gone(id, 'stopped');
    }),
  );
  const alive = (now: number) => [...seen.values()].filter((w) => now - w.lastSeen < WORKER_TIMEOUT_MS);
  return {
    list: (now = Date.now()) => alive(now),
    count: (now = Date.now()) => alive(now).length,
    onGone: (listener) => void listeners.push(listener),
    async close() {
      clearInterval(sweep);
      await Promise.all(subs.map((s) => s.unsubscribe()));
    },
  };
}
