import { CELL_KEYS } from '../../core/contracts/notebook-schema';
import { cellsOf } from '../../core/notebook/notebook-doc';
import type { Actor } from '../auth/actor';
import type { AppContext } from '../context';
import { notFound } from '../errors';
import { cellsRunRequester } from './cell-run-requester';

/**
 * "Run all" and "run this cell and all below": queues the notebook's non-empty code cells, in order,
 * on its kernel. They run one after another there, interleaved fairly with what others queue, and
 * log into one new run.
 */
export async function notebookRunner(ctx: AppContext, actor: Actor, input: { notebookId: string; fromCellId?: string }) {
  const queued = await cellsRunRequester(ctx, actor, {
    notebookId: input.notebookId,
    // The chain is one experiment: the kernel's active run ends before its first cell runs.
    opensRun: true,
    pick: (doc) => {
      const cells = cellsOf(doc).toArray();
      const start = input.fromCellId ? cells.findIndex((c) => c.get(CELL_KEYS.id) === input.fromCellId) : 0;
      if (start < 0) throw notFound(`cell ${input.fromCellId}`);
      return cells
        .slice(start)
        .filter((c) => c.get(CELL_KEYS.type) === 'code' && String(c.get(CELL_KEYS.source) ?? '').trim() !== '')
        .map((c) => String(c.get(CELL_KEYS.id)));
    },
  });
  return { queued };
}
