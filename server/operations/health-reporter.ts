import type { HealthDto } from '../../core/contracts/api/health';
import type { AppContext } from '../context';

/** The server's view of what it stands on: database and bus reachable, workers heard from. */
export function healthReporter(ctx: AppContext): HealthDto {
  const dbUp = ctx.database.up();
  const busUp = ctx.bus.connected();
  return {
    status: dbUp && busUp ? 'ok' : 'degraded',
    db: ctx.dbKind,
    bus: ctx.bus.kind,
    checks: { db: dbUp ? 'up' : 'down', bus: busUp ? 'up' : 'down' },
    workers: ctx.workers.count(),
    leader: ctx.leadership.isLeader(),
    version: '0.1.0',
  };
}
