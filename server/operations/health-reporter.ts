import { sql } from 'drizzle-orm';
import type { HealthDto } from '../../core/contracts/api/health';
import type { AppContext } from '../context';

export async function healthReporter(ctx: AppContext): Promise<HealthDto> {
  let dbOk = true;
  try {
    await ctx.db.execute(sql`select 1`);
  } catch {
    dbOk = false;
  }
  return { status: dbOk ? 'ok' : 'degraded', db: ctx.dbKind, bus: ctx.bus.kind, workers: ctx.workers.count(), version: '0.1.0' };
}
