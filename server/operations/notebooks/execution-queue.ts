import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { cellExecutions, users } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { authorizeNotebook } from '../../policies/authorize';

/** The notebook's execution queue as everyone in it sees it: newest first, with who asked. */
export async function executionQueueLister(db: Db, actor: Actor, notebookId: string, limit = 100) {
  await authorizeNotebook(db, actor, notebookId, 'notebook.read');
  return db
    .select({
      executionId: cellExecutions.id,
      cellId: cellExecutions.cellId,
      status: cellExecutions.status,
      executionCount: cellExecutions.executionCount,
      workerId: cellExecutions.workerId,
      requestedBy: users.name,
      requestedByEmail: users.email,
      queuedAt: cellExecutions.queuedAt,
      startedAt: cellExecutions.startedAt,
      endedAt: cellExecutions.endedAt,
      durationMs: cellExecutions.durationMs,
    })
    .from(cellExecutions)
    .leftJoin(users, eq(users.id, cellExecutions.requestedBy))
    .where(eq(cellExecutions.notebookId, notebookId))
    .orderBy(desc(cellExecutions.queuedAt))
    .limit(limit);
}
