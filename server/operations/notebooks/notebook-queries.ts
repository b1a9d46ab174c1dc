import { and, desc, eq, ilike, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { notebooks, users } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { authorizeNotebook, authorizeWorkspace, workspacesOf } from '../../policies/authorize';

export async function notebookLister(db: Db, actor: Actor, input: { workspaceId?: string; q?: string; trashed: boolean }) {
  if (input.workspaceId) await authorizeWorkspace(db, actor, input.workspaceId, 'notebook.read');
  const mine = workspacesOf(db, actor);
  const rows = await db
    .select({ notebook: notebooks, editorName: users.name, editorEmail: users.email })
    .from(notebooks)
    .leftJoin(users, eq(users.id, notebooks.updatedBy))
    .where(
      and(
        input.workspaceId ? eq(notebooks.workspaceId, input.workspaceId) : inArray(notebooks.workspaceId, mine),
        input.trashed ? isNotNull(notebooks.trashedAt) : isNull(notebooks.trashedAt),
        input.q ? ilike(notebooks.name, `%${input.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`) : undefined,
      ),
    )
    .orderBy(desc(notebooks.updatedAt))
    .limit(500);
  return rows.map((r) => ({ ...r.notebook, editor: r.editorName || r.editorEmail || null }));
}

export async function notebookGetter(db: Db, actor: Actor, notebookId: string) {
  const { notebook, membership } = await authorizeNotebook(db, actor, notebookId, 'notebook.read');
  return { ...notebook, role: membership.role };
}

export async function notebookUpdater(db: Db, actor: Actor, input: { notebookId: string; name?: string; trashed?: boolean }) {
  await authorizeNotebook(db, actor, input.notebookId, 'notebook.edit');
  const patch: Partial<typeof notebooks.$inferInsert> = { updatedAt: new Date(), updatedBy: actor.kind === 'user' ? actor.userId : null };
  if (input.name !== undefined) patch.name = input.name;
  if (input.trashed !== undefined) patch.trashedAt = input.trashed ? new Date() : null;
  const [row] = await db.update(notebooks).set(patch).where(eq(notebooks.id, input.notebookId)).returning();
  return row!;
}
