import * as Y from 'yjs';
import type { Db } from '../../../drizzle/client';
import { notebooks, notebookUpdates } from '../../../drizzle/schema';
import type { NotebookData } from '../../../core/contracts/notebook-schema';
import { initNotebookDoc } from '../../../core/notebook/notebook-doc';
import type { Actor } from '../../auth/actor';
import { invalid } from '../../errors';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';
import { workspaceLister } from '../workspaces/workspace-lister';

/**
 * Creates the notebook row and its first document state in one transaction. The server writes the
 * initial cells (or an import's prepared state), never a client, so two first visitors cannot each
 * add a starter cell.
 */
export async function notebookCreator(
  db: Db,
  actor: Actor,
  input: { name: string; workspaceId?: string; content?: Partial<NotebookData>; initialUpdates?: Uint8Array[] },
) {
  const workspaceId = input.workspaceId ?? (await soleWorkspace(db, actor));
  await authorizeWorkspace(db, actor, workspaceId, 'notebook.create');
  const initial = input.initialUpdates ?? [initialState(input.content)];
  return db.transaction(async (tx) => {
    const [nb] = await tx
      .insert(notebooks)
      .values({ workspaceId, name: input.name, createdBy: userIdOf(actor) })
      .returning();
    for (const [i, update] of initial.entries()) {
      // Between pieces of a large import, let the requests waiting on this thread run.
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      await tx.insert(notebookUpdates).values({ notebookId: nb!.id, update });
    }
    return nb!;
  });
}

function initialState(content: Partial<NotebookData> | undefined): Uint8Array {
  const doc = new Y.Doc();
  initNotebookDoc(doc, content);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

async function soleWorkspace(db: Db, actor: Actor): Promise<string> {
  const list = await workspaceLister(db, userIdOf(actor));
  if (list.length === 1) return list[0]!.id;
  throw invalid(
    list.length === 0 ? 'you belong to no workspace: create one first' : 'workspaceId is required: you belong to several workspaces',
  );
}
