import { and, desc, eq, inArray } from 'drizzle-orm';
import { trainingJobs, users } from '../../../drizzle/schema';
import type { Db } from '../../../drizzle/client';
import type { Actor } from '../../auth/actor';
import { notFound } from '../../errors';
import { authorizeNotebook, authorizeWorkspace, workspacesOf } from '../../policies/authorize';

const listed = {
  id: trainingJobs.id,
  notebookId: trainingJobs.notebookId,
  notebookVersionId: trainingJobs.notebookVersionId,
  cellId: trainingJobs.cellId,
  status: trainingJobs.status,
  requirements: trainingJobs.requirements,
  attempts: trainingJobs.attempts,
  workerId: trainingJobs.workerId,
  backend: trainingJobs.backend,
  progress: trainingJobs.progress,
  checkpoint: trainingJobs.checkpoint,
  runId: trainingJobs.runId,
  error: trainingJobs.error,
  requestedBy: users.name,
  createdAt: trainingJobs.createdAt,
  startedAt: trainingJobs.startedAt,
  endedAt: trainingJobs.endedAt,
};

/** The queue of a notebook (or a workspace): who queued what, where it runs, how far it got. */
export async function trainingLister(db: Db, actor: Actor, input: { notebookId?: string; workspaceId?: string }) {
  if (input.notebookId) await authorizeNotebook(db, actor, input.notebookId, 'notebook.read');
  if (input.workspaceId) await authorizeWorkspace(db, actor, input.workspaceId, 'run.read');
  return db
    .select(listed)
    .from(trainingJobs)
    .leftJoin(users, eq(users.id, trainingJobs.requestedBy))
    .where(
      and(
        input.notebookId ? eq(trainingJobs.notebookId, input.notebookId) : undefined,
        input.workspaceId ? eq(trainingJobs.workspaceId, input.workspaceId) : inArray(trainingJobs.workspaceId, workspacesOf(db, actor)),
      ),
    )
    .orderBy(desc(trainingJobs.createdAt))
    .limit(200);
}

export async function trainingGetter(db: Db, actor: Actor, trainingId: string) {
  const [row] = await db
    .select({ ...listed, log: trainingJobs.log })
    .from(trainingJobs)
    .leftJoin(users, eq(users.id, trainingJobs.requestedBy))
    .where(eq(trainingJobs.id, trainingId));
  if (!row) throw notFound('training');
  await authorizeNotebook(db, actor, row.notebookId, 'notebook.read');
  return row;
}
