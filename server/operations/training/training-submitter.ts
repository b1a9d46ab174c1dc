import { eq } from 'drizzle-orm';
import { serverSettings } from '../../env';
import { TRAINING_TAG, type TrainingJob, type TrainingRequirements } from '../../../core/contracts/messages/training';
import { subjects } from '../../../core/contracts/subjects';
import { whyNoWorker } from '../../../core/fleet/capability-match';
import { cellsToRun } from '../../../core/notebook/cells-to-run';
import { findCell, notebookToData } from '../../../core/notebook/notebook-doc';
import { CELL_KEYS } from '../../../core/contracts/notebook-schema';
import { trainingJobs } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import type { AppContext } from '../../context';
import { AppError, invalid, notFound } from '../../errors';
import { CELL_LIMITS } from '../../execution/cell-run-requester';
import { authorizeNotebook, userIdOf } from '../../policies/authorize';
import { jobTokenCreator, TRAINING_QUEUE_TTL_MS, trainingTokenRevoker } from '../identity/job-tokens';
import { versionRecorder } from '../notebooks/version-recorder';

/** A training may run for hours; the per-cell limit of interactive runs does not apply. */
const TRAINING_TIMEOUT_MS = serverSettings().FERRY_TRAINING_TIMEOUT_MS;

/**
 * Queues a cell as a background training: the notebook version is recorded, then the code cells up to
 * it are put on the work queue for a worker with the required capabilities. Refused at once, with the
 * reason, when no connected worker could ever take it.
 */
export async function trainingSubmitter(
  ctx: AppContext,
  actor: Actor,
  input: { notebookId: string; cellId: string; requirements: TrainingRequirements; params?: Record<string, string> },
) {
  const { notebook } = await authorizeNotebook(ctx.db, actor, input.notebookId, 'notebook.execute');
  const userId = userIdOf(actor);
  const reason = whyNoWorker(ctx.workers.list(), input.requirements);
  if (reason) throw new AppError('CONFLICT', `cannot schedule this training: ${reason}`);
  const doc = await ctx.collab.readNotebook(input.notebookId);
  const found = findCell(doc, input.cellId);
  const data = notebookToData(doc);
  doc.destroy();
  if (!found) throw notFound(`cell ${input.cellId}`);
  if (found.cell.get(CELL_KEYS.type) !== 'code') throw invalid('only a code cell can be a training');
  const version = await versionRecorder(ctx.db, { notebookId: input.notebookId, data, kind: 'execution', userId });
  const cells = cellsToRun(version.content as { cells: Array<{ id: string; cell_type: string; source: string }> }, input.cellId);
  if (cells.length === 0) throw invalid('the training cell is empty');

  const [row] = await ctx.db
    .insert(trainingJobs)
    .values({
      workspaceId: notebook.workspaceId,
      notebookId: input.notebookId,
      notebookVersionId: version.id,
      cellId: input.cellId,
      requirements: input.requirements,
      requestedBy: userId,
    })
    .returning();
  const token = await jobTokenCreator(ctx.db, {
    userId,
    scope: { notebookId: input.notebookId, trainingId: row!.id },
    ttlMs: TRAINING_QUEUE_TTL_MS,
  });
  const job: TrainingJob = {
    v: 1,
    trainingId: row!.id,
    notebookId: input.notebookId,
    notebookVersionId: version.id,
    cellId: input.cellId,
    cells: cells.map((c) => ({ id: c.id, source: c.source })),
    requestedBy: userId,
    helperApi: { url: ctx.internalUrl, token },
    limits: { timeoutMs: TRAINING_TIMEOUT_MS, memoryMb: CELL_LIMITS.memoryMb },
    params: { ...input.params, trainingId: row!.id, [TRAINING_TAG]: row!.id },
  };
  try {
    await ctx.bus.jobs.enqueue(subjects.trainingJob(input.requirements), job, { id: row!.id });
  } catch (error) {
    await ctx.db
      .update(trainingJobs)
      .set({ status: 'failed', error: `could not queue: ${(error as Error).message}`, endedAt: new Date() })
      .where(eq(trainingJobs.id, row!.id));
    await trainingTokenRevoker(ctx.db, row!.id);
    throw error;
  }
  return row!;
}
