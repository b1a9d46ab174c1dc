import { asc, eq } from 'drizzle-orm';
import { findCell } from '../../../core/notebook/notebook-doc';
import { cellComments, users } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import type { AppContext } from '../../context';
import { forbidden, notFound } from '../../errors';
import { authorizeNotebook, userIdOf } from '../../policies/authorize';

// Comments on cells: anyone who can read the notebook sees them; editors write and resolve them;
// a comment is deleted by its author or a workspace owner.

const shown = {
  id: cellComments.id,
  cellId: cellComments.cellId,
  body: cellComments.body,
  authorId: cellComments.authorId,
  authorName: users.name,
  authorEmail: users.email,
  createdAt: cellComments.createdAt,
  resolvedAt: cellComments.resolvedAt,
  resolvedBy: cellComments.resolvedBy,
};

export async function commentLister(ctx: AppContext, actor: Actor, notebookId: string) {
  await authorizeNotebook(ctx.db, actor, notebookId, 'notebook.read');
  return ctx.db
    .select(shown)
    .from(cellComments)
    .leftJoin(users, eq(users.id, cellComments.authorId))
    .where(eq(cellComments.notebookId, notebookId))
    .orderBy(asc(cellComments.createdAt))
    .limit(2000);
}

export async function commentCreator(ctx: AppContext, actor: Actor, input: { notebookId: string; cellId: string; body: string }) {
  await authorizeNotebook(ctx.db, actor, input.notebookId, 'notebook.edit');
  const doc = await ctx.collab.readNotebook(input.notebookId);
  const exists = findCell(doc, input.cellId) !== null;
  doc.destroy();
  if (!exists) throw notFound(`cell ${input.cellId} in this notebook`);
  const [row] = await ctx.db
    .insert(cellComments)
    .values({ notebookId: input.notebookId, cellId: input.cellId, body: input.body, authorId: userIdOf(actor) })
    .returning();
  return row!;
}

async function commentOf(ctx: AppContext, commentId: string) {
  const [row] = await ctx.db.select().from(cellComments).where(eq(cellComments.id, commentId));
  if (!row) throw notFound('comment');
  return row;
}

export async function commentResolver(ctx: AppContext, actor: Actor, commentId: string, resolved: boolean) {
  const comment = await commentOf(ctx, commentId);
  await authorizeNotebook(ctx.db, actor, comment.notebookId, 'notebook.edit');
  const [row] = await ctx.db
    .update(cellComments)
    .set(resolved ? { resolvedAt: new Date(), resolvedBy: userIdOf(actor) } : { resolvedAt: null, resolvedBy: null })
    .where(eq(cellComments.id, commentId))
    .returning();
  return row!;
}

export async function commentDeleter(ctx: AppContext, actor: Actor, commentId: string) {
  const comment = await commentOf(ctx, commentId);
  const { membership } = await authorizeNotebook(ctx.db, actor, comment.notebookId, 'notebook.read');
  if (comment.authorId !== userIdOf(actor) && membership.role !== 'owner')
    throw forbidden('only its author or a workspace owner deletes a comment');
  await ctx.db.delete(cellComments).where(eq(cellComments.id, commentId));
  return { deleted: commentId };
}
