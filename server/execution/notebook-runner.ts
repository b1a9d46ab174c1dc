import { CELL_KEYS } from '../../core/contracts/notebook-schema';
import { cellsOf } from '../../core/notebook/notebook-doc';
import type { Actor } from '../auth/actor';
import type { AppContext } from '../context';
import { notFound } from '../errors';
import { authorizeNotebook } from '../policies/authorize';
import { cellRunRequester } from './cell-run-requester';

/**
 * "Run all" and "run this cell and all below": queues the notebook's non-empty code cells, in order,
 * on its kernel. They run one after another there, interleaved fairly with what others queue.
 */
export async function notebookRunner(ctx: AppContext, actor: Actor, input: { notebookId: string; fromCellId?: string }) {
  await authorizeNotebook(ctx.db, actor, input.notebookId, 'notebook.execute');
  const doc = await ctx.collab.readNotebook(input.notebookId);
  const cells = cellsOf(doc)
    .toArray()
    .map((c) => ({ id: String(c.get(CELL_KEYS.id)), type: c.get(CELL_KEYS.type), source: String(c.get(CELL_KEYS.source) ?? '') }));
  doc.destroy();
  const start = input.fromCellId ? cells.findIndex((c) => c.id === input.fromCellId) : 0;
  if (start < 0) throw notFound(`cell ${input.fromCellId}`);
  const queued = [];
  for (const cell of cells.slice(start))
    if (cell.type === 'code' && cell.source.trim() !== '')
      queued.push({ cellId: cell.id, ...(await cellRunRequester(ctx, actor, { notebookId: input.notebookId, cellId: cell.id })) });
  return { queued };
}
