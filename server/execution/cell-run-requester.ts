import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { CellJob } from '../../core/contracts/messages/cell-execution';
import { CELL_KEYS } from '../../core/contracts/notebook-schema';
import { subjects } from '../../core/contracts/subjects';
import { cellSource, findCell, notebookToData } from '../../core/notebook/notebook-doc';
import type { Needs } from '../../core/fleet/capability-match';
import type { Actor } from '../auth/actor';
import type { AppContext } from '../context';
import { invalid, notFound } from '../errors';
import { jobTokenCreator } from '../operations/identity/token-creator';
import { cellExecutions } from '../../drizzle/schema';
import { versionRecorder } from '../operations/notebooks/version-recorder';
import { authorizeNotebook, userIdOf } from '../policies/authorize';

export const CELL_LIMITS = { timeoutMs: 10 * 60_000, memoryMb: 2048 };
const JOB_TOKEN_TTL_MS = 24 * 3600_000;

/**
 * Queues one code cell on the notebook's kernel. The notebook version is recorded first, so any run
 * the cell creates points at exactly the sources that produced it.
 */
export async function cellRunRequester(ctx: AppContext, actor: Actor, input: { notebookId: string; cellId: string; requirements?: Needs }) {
  await authorizeNotebook(ctx.db, actor, input.notebookId, 'notebook.execute');
  const userId = userIdOf(actor);
  const doc = await ctx.collab.readNotebook(input.notebookId);
  const found = findCell(doc, input.cellId);
  if (!found) throw notFound(`cell ${input.cellId}`);
  if (found.cell.get(CELL_KEYS.type) !== 'code') throw invalid('only code cells can run');
  const code = cellSource(found.cell);
  const version = await versionRecorder(ctx.db, { notebookId: input.notebookId, data: notebookToData(doc), kind: 'execution', userId });
  doc.destroy();

  const session = await ctx.kernels.ensure(input.notebookId, input.requirements);
  const executionId = randomUUID();
  const job: CellJob = {
    v: 1,
    executionId,
    notebookId: input.notebookId,
    kernelId: session.kernelId,
    cellId: input.cellId,
    notebookVersionId: version.id,
    code,
    language: 'typescript',
    requestedBy: userId,
    helperApi: {
      url: ctx.internalUrl,
      token: await jobTokenCreator(ctx.db, { userId, notebookId: input.notebookId, ttlMs: JOB_TOKEN_TTL_MS }),
    },
    limits: CELL_LIMITS,
  };
  await ctx.collab.applyServerChange(input.notebookId, (d) => setExecutionState(d, input.cellId, 'queued'));
  await ctx.db
    .insert(cellExecutions)
    .values({ id: executionId, notebookId: input.notebookId, cellId: input.cellId, requestedBy: userId, workerId: session.workerId });
  await ctx.bus.jobs.enqueue(subjects.cellJob(session.workerId), job, { id: executionId });
  return { executionId, notebookVersionId: version.id, workerId: session.workerId, backend: session.backend };
}

export function setExecutionState(doc: Y.Doc, cellId: string, state: 'idle' | 'queued' | 'running'): void {
  findCell(doc, cellId)?.cell.set(CELL_KEYS.executionState, state);
}
