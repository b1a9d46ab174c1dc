import pg from 'pg';
import type { Logger } from './log';

// Background jobs that must run once per deployment (the automatic-retraining sweep, the lost-work
// reaper) run on the leader only. On PostgreSQL the leader is the instance holding a session-level
// advisory lock on its own connection: when that instance dies its connection closes, the lock is
// released, and the next instance to try takes it (every few seconds). On PGlite there is one process,
// and it leads.

/** "ferry-leader" as a 32-bit key: one lock per database, so one leader per deployment. */
const LOCK_KEY = 0x6665_7272;

export interface Leadership {
  isLeader(): boolean;
  stop(): Promise<void>;
}

export const soleLeader: Leadership = { isLeader: () => true, stop: async () => undefined };

/** Competes for leadership on PostgreSQL; checks (and retries) every `everyMs`. */
export function startLeadership(opts: { databaseUrl: string; log: Logger; everyMs?: number }): Leadership {
  const everyMs = opts.everyMs ?? 5000;
  let client: pg.Client | null = null;
  let leader = false;
  let stopped = false;
  const lose = (why: string) => {
    if (leader) opts.log.warn(`leadership lost: ${why}`);
    leader = false;
    const old = client;
    client = null;
    void old?.end().catch(() => undefined);
  };
  async function tick() {
    try {
      if (!client) {
        const next = new pg.Client({ connectionString: opts.databaseUrl, application_name: 'ferry-leadership' });
        next.on('error', (error) => lose(error.message));
        await next.connect();
        client = next;
      }
      if (leader) {
        // Still holding it: the connection is alive, so the lock is ours.
        await client.query('select 1');
        return;
      }
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [LOCK_KEY]);
      if (rows[0]?.ok) {
        leader = true;
        opts.log.info('this instance leads the background jobs (automatic retraining, lost-work reaping)');
      }
    } catch (error) {
      lose((error as Error).message);
    }
  }
  void tick();
  const timer = setInterval(() => {
    if (!stopped) void tick();
  }, everyMs);
  timer.unref();
  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      clearInterval(timer);
      leader = false;
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
