import { notebookToData } from '../../../core/notebook/notebook-doc';
import type { Actor } from '../../auth/actor';
import type { AppContext } from '../../context';
import { authorizeNotebook } from '../../policies/authorize';
import { notebookCreator } from './notebook-creator';

/** A new notebook in the same workspace with the live document's cells, metadata and outputs ("make a copy"). */
export async function notebookDuplicator(ctx: AppContext, actor: Actor, notebookId: string, input: { name?: string }) {
  const { notebook } = await authorizeNotebook(ctx.db, actor, notebookId, 'notebook.read');
  const doc = await ctx.collab.readNotebook(notebookId);
  try {
    return await notebookCreator(ctx.db, actor, {
      workspaceId: notebook.workspaceId,
      name: input.name ?? `${notebook.name} (copy)`.slice(0, 200),
      content: notebookToData(doc),
    });
  } finally {
    doc.destroy();
  }
}
