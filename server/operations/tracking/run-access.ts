import { eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { runs } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { forbidden, notFound } from '../../errors';
import { authorizeWorkspace, type WorkspaceAction } from '../../policies/authorize';

/** Loads a run and checks the actor may act on it; a job token only reaches runs of its notebook. */
export async function authorizeRun(db: Db, actor: Actor, runId: string, action: WorkspaceAction) {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!run) throw notFound('run');
  if (actor.kind === 'job' && actor.notebookId !== run.notebookId) throw forbidden('this job token belongs to another notebook');
  await authorizeWorkspace(db, actor, run.workspaceId, action);
  return run;
}
