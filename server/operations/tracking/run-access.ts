import { eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { runs } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { notFound } from '../../errors';
import { authorizeWorkspace, type WorkspaceAction } from '../../policies/authorize';
import { assertRunInScope } from '../../policies/job-scope';

/** Loads a run and checks the actor may act on it; a job token only reaches the runs it created. */
export async function authorizeRun(db: Db, actor: Actor, runId: string, action: WorkspaceAction) {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!run) throw notFound('run');
  if (actor.kind === 'job') assertRunInScope(actor, run);
  await authorizeWorkspace(db, actor, run.workspaceId, action);
  return run;
}
