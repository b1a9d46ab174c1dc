import type { Actor } from '../../auth/actor';
import type { AppContext } from '../../context';
import { unauthenticated } from '../../errors';

/** The live fleet from heartbeats: what each worker runs on, what it has free, when it was last heard. */
export function workerLister(ctx: AppContext, actor: Actor) {
  if (actor.kind !== 'user') throw unauthenticated('sign in to see the workers');
  const now = Date.now();
  return ctx.workers
    .list(now)
    .map((w) => ({ ...w, secondsSinceHeartbeat: Math.round((now - w.lastSeen) / 100) / 10 }))
    .sort((a, b) => a.workerId.localeCompare(b.workerId));
}
