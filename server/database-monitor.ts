import { sql } from 'drizzle-orm';
import type { Db } from '../drizzle/client';
import type { Logger } from './log';

// Whether the database answers, known ahead of time: /api/health is asked every few seconds by load
// balancers and must answer at once, even while the embedded database is busy with a long write or
// a remote one hangs.

export interface DatabaseMonitor {
  up(): boolean;
  close(): void;
}

const PROBE_EVERY_MS = 1000;
const PROBE_TIMEOUT_MS = 2000;

/** Probes the database once a second (each probe bounded by a timeout) and logs each change of state. */
export function monitorDatabase(db: Db, log: Logger): DatabaseMonitor {
  let up = true;
  let probing = false;
  const probe = async () => {
    if (probing) return;
    probing = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)));
    const answered = db.execute(sql`select 1`).then(
      () => true,
      () => false,
    );
    const now = await Promise.race([answered, timeout]);
    clearTimeout(timer);
    probing = false;
    if (now !== up) (now ? log.info : log.warn)(`database is ${now ? 'reachable again' : 'unreachable'}`);
    up = now;
  };
  const timer = setInterval(() => void probe(), PROBE_EVERY_MS);
  timer.unref();
  return { up: () => up, close: () => clearInterval(timer) };
}
