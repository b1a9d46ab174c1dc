import type { Bus, Subscription } from '../../core/bus/port';
import { subjects } from '../../core/contracts/subjects';
import { workerHeartbeatSchema, type WorkerHeartbeat } from '../../core/contracts/messages/worker-heartbeat';
import type { Logger } from '../log';

/** Live view of the worker fleet, fed by heartbeats; a worker silent for this long is gone. */
export const WORKER_TIMEOUT_MS = 10_000;

export interface WorkerRegistry {
  list(now?: number): Array<WorkerHeartbeat & { lastSeen: number }>;
  count(now?: number): number;
  close(): Promise<void>;
}

export async function createWorkerRegistry(bus: Bus, log: Logger): Promise<WorkerRegistry> {
  const seen = new Map<string, WorkerHeartbeat & { lastSeen: number }>();
  const subs: Subscription[] = [];
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
      if (id && seen.delete(id)) log.info('worker left', { workerId: id });
    }),
  );
  const alive = (now: number) => [...seen.values()].filter((w) => now - w.lastSeen < WORKER_TIMEOUT_MS);
  return {
    list: (now = Date.now()) => alive(now),
    count: (now = Date.now()) => alive(now).length,
    async close() {
      await Promise.all(subs.map((s) => s.unsubscribe()));
    },
  };
}
