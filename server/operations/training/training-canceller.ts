import { and, eq, inArray } from 'drizzle-orm';
import { subjects } from '../../../core/contracts/subjects';
import { trainingJobs } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import type { AppContext } from '../../context';
import { conflict, notFound } from '../../errors';
import { authorizeNotebook } from '../../policies/authorize';
import { trainingTokenRevoker } from '../identity/job-tokens';

/**
 * Cancels a queued or running training. A queued one is marked at once (a worker that picks it up
 * later sees that and skips it); a running one is stopped by its worker, which reports back.
 */
export async function trainingCanceller(ctx: AppContext, actor: Actor, trainingId: string) {
  const [row] = await ctx.db.select().from(trainingJobs).where(eq(trainingJobs.id, trainingId));
  if (!row) throw notFound('training');
  await authorizeNotebook(ctx.db, actor, row.notebookId, 'notebook.execute');
  if (row.status !== 'queued' && row.status !== 'running') throw conflict(`this training already ended (${row.status})`);
  if (row.status === 'queued') {
    const [updated] = await ctx.db
      .update(trainingJobs)
      .set({ status: 'cancelled', endedAt: new Date(), error: 'cancelled before it started' })
      .where(and(eq(trainingJobs.id, trainingId), eq(trainingJobs.status, 'queued')))
      .returning();
    if (updated) {
      await trainingTokenRevoker(ctx.db, trainingId);
      return { id: trainingId, status: 'cancelled' };
    }
    // A worker took it meanwhile: stop it there.
  }
  await ctx.bus.publish(subjects.trainingControl(trainingId), { v: 1, trainingId, action: 'cancel' });
  await ctx.db
    .update(trainingJobs)
    .set({ error: 'cancel requested' })
    .where(and(eq(trainingJobs.id, trainingId), inArray(trainingJobs.status, ['queued', 'running'])));
  return { id: trainingId, status: 'cancelling' };
}
