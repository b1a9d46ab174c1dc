import { randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
import type { CellJob } from '../../core/contracts/messages/cell-execution';
import { CELL_KEYS } from '../../core/contracts/notebook-schema';
import { subjects } from '../../core/contracts/subjects';
import { cellSource, findCell, notebookToData } from '../../core/notebook/notebook-doc';
import type { Needs } from '../../core/fleet/capability-match';
import { cellExecutions } from '../../drizzle/schema';
import type { Actor } from '../auth/actor';
import type { AppContext } from '../context';
import { busUnavailable, invalid, notFound } from '../errors';
import { CELL_TOKEN_TTL_MS, jobTokenCreator } from '../operations/identity/job-tokens';
import { versionRecorder } from '../operations/notebooks/version-recorder';
import { authorizeNotebook, userIdOf } from '../policies/authorize';

export const CELL_LIMITS = { timeoutMs: 10 * 60_000, memoryMb: 2048 };

export interface QueuedCell {
  cellId: string;
  executionId: string;
  notebookVersionId: string;
  workerId: string;
  backend: string;
}

/**
 * Queues code cells, in order, on the notebook's kernel. The notebook is read and its version
 * recorded once, first, so every run the cells create points at exactly the sources that produced
 * it; `pick` chooses the cells from that same read (one cell, all, or a cell and all below).
 */
export async function cellsRunRequester(
  ctx: AppContext,
  actor: Actor,
  input: { notebookId: string; pick: (doc: Y.Doc) => string[]; requirements?: Needs; opensRun?: boolean },
): Promise<QueuedCell[]> {
  await authorizeNotebook(ctx.db, actor, input.notebookId, 'notebook.execute');
  // Before anything is written: a run that cannot reach a worker must not leave cells "queued".
  if (!ctx.bus.connected()) throw busUnavailable();
  const userId = userIdOf(actor);
  const doc = await ctx.collab.readNotebook(input.notebookId);
  let cells: Array<{ cellId: string; code: string }>;
  let data;
  try {
    cells = input.pick(doc).map((cellId) => {
      const found = findCell(doc, cellId);
      if (!found) throw notFound(`cell ${cellId}`);
      if (found.cell.get(CELL_KEYS.type) !== 'code') throw invalid('only code cells can run');
      return { cellId, code: cellSource(found.cell) };
    });
    data = notebookToData(doc);
  } finally {
    doc.destroy();
  }
  if (cells.length === 0) return [];
  const version = await versionRecorder(ctx.db, { notebookId: input.notebookId, data, kind: 'execution', userId });
  const session = await ctx.kernels.ensure(input.notebookId, input.requirements);
  const queued = cells.map((c) => ({ ...c, executionId: randomUUID() }));
  // One token for the whole request, scoped to its executions: it ends when the last of them does.
  const token = await jobTokenCreator(ctx.db, {
    userId,
    scope: { notebookId: input.notebookId, kernelId: session.kernelId, executionIds: queued.map((c) => c.executionId) },
    ttlMs: CELL_TOKEN_TTL_MS,
  });
  await ctx.collab.applyServerChange(input.notebookId, (d) => {
    for (const c of queued) setExecutionState(d, c.cellId, 'queued');
  });
  await ctx.db.insert(cellExecutions).values(
    queued.map((c) => ({
      id: c.executionId,
      notebookId: input.notebookId,
      cellId: c.cellId,
      requestedBy: userId,
      workerId: session.workerId,
    })),
  );
  for (const [i, c] of queued.entries()) {
    const job: CellJob = {
      v: 1,
      executionId: c.executionId,
      notebookId: input.notebookId,
      kernelId: session.kernelId,
      cellId: c.cellId,
      notebookVersionId: version.id,
      code: c.code,
      language: 'typescript',
      requestedBy: userId,
      helperApi: { url: ctx.internalUrl, token },
      limits: CELL_LIMITS,
      ...(input.opensRun && i === 0 ? { opensRun: true } : {}),
    };
    await ctx.bus.jobs.enqueue(subjects.cellJob(session.workerId), job, { id: c.executionId });
  }
  return queued.map((c) => ({
    cellId: c.cellId,
    executionId: c.executionId,
    notebookVersionId: version.id,
    workerId: session.workerId,
    backend: session.backend,
  }));
}

/** Queues one code cell (the run button, Shift+Enter). */
export async function cellRunRequester(ctx: AppContext, actor: Actor, input: { notebookId: string; cellId: string; requirements?: Needs }) {
  const [queued] = await cellsRunRequester(ctx, actor, {
    notebookId: input.notebookId,
    pick: () => [input.cellId],
    requirements: input.requirements,
  });
  const { cellId: _cellId, ...rest } = queued!;
  return rest;
}

export function setExecutionState(doc: Y.Doc, cellId: string, state: 'idle' | 'queued' | 'running'): void {
  findCell(doc, cellId)?.cell.set(CELL_KEYS.executionState, state);
}
