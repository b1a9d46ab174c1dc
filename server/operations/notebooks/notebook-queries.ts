import { and, desc, eq, ilike, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { notebooks } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { authorizeNotebook, authorizeWorkspace, workspacesOf } from '../../policies/authorize';

export async function notebookLister(db: Db, actor: Actor, input: { workspaceId?: string; q?: string; trashed: boolean }) {
  if (input.workspaceId) await authorizeWorkspace(db, actor, input.workspaceId, 'notebook.read');
  const mine = workspacesOf(db, actor);
  return db
    .select()
    .from(notebooks)
    .where(
      and(
        input.workspaceId ? eq(notebooks.workspaceId, input.workspaceId) : inArray(notebooks.workspaceId, mine),
        input.trashed ? isNotNull(notebooks.trashedAt) : isNull(notebooks.trashedAt),
        input.q ? ilike(notebooks.name, `%${input.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`) : undefined,
      ),
    )
    .orderBy(desc(notebooks.updatedAt))
    .limit(500);
}

export async function notebookGetter(db: Db, actor: Actor, notebookId: string) {
  const { notebook, membership } = await authorizeNotebook(db, actor, notebookId, 'notebook.read');
  return { ...notebook, role: membership.role };
}

export async function notebookUpdater(db: Db, actor: Actor, input: { notebookId: string; name?: string; trashed?: boolean }) {
  await authorizeNotebook(db, actor, input.notebookId, 'notebook.edit');
  const patch: Partial<typeof notebooks.$inferInsert> = { updatedAt: new Date() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.trashed !== undefined) patch.trashedAt = input.trashed ? new Date() : null;
  const [row] = await db.update(notebooks).set(patch).where(eq(notebooks.id, input.notebookId)).returning();
  return row!;
}
