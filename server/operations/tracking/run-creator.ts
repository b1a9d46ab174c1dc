import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { kernelRunCellSchema, kernelRunCreateSchema } from '../../../core/contracts/api/kernel-runs';
import type { Db } from '../../../drizzle/client';
import { driftAlerts, experiments, notebookVersions, runCells, runs, runTags, trainingJobs } from '../../../drizzle/schema';
import { TRAINING_TAG } from '../../../core/contracts/messages/training';
import { RETRAIN_TAG } from '../../../core/contracts/api/device';
import type { Actor } from '../../auth/actor';
import { conflict, invalid } from '../../errors';
import { authorizeNotebook, userIdOf } from '../../policies/authorize';
import { assertCellInScope, assertRunCreationInScope } from '../../policies/job-scope';
import { authorizeRun } from './run-access';

type RunCell = z.infer<typeof kernelRunCellSchema>;

/** A run's name when `ferry.startRun` gave none: the notebook and the first logging cell's label, never a hash. */
export function defaultRunName(notebookName: string, cellLabel: string | undefined): string {
  const label = cellLabel?.trim();
  return label ? `${notebookName} · ${label}` : notebookName;
}

/** Checks that a cell execution belongs to the run's notebook (its version) before it is recorded. */
async function assertVersionOf(db: Db, notebookId: string, notebookVersionId: string) {
  const [version] = await db
    .select({ notebookId: notebookVersions.notebookId })
    .from(notebookVersions)
    .where(eq(notebookVersions.id, notebookVersionId));
  if (!version || version.notebookId !== notebookId) throw invalid('notebookVersionId does not belong to this notebook');
}

function runCellRow(runId: string, cell: RunCell, userId: string) {
  return {
    runId,
    executionId: cell.executionId,
    cellId: cell.cellId,
    notebookVersionId: cell.notebookVersionId,
    sourceHash: cell.sourceHash,
    executionCount: cell.executionCount ?? null,
    userId,
  };
}

/**
 * Opens a run in the notebook's experiment (created with the first run): the kernel session's active
 * run, recording the cell that opened it. A background training's attempts all continue one run.
 */
export async function runCreator(db: Db, actor: Actor, input: z.infer<typeof kernelRunCreateSchema>) {
  const { notebook } = await authorizeNotebook(db, actor, input.notebookId, 'run.log');
  if (actor.kind === 'job') assertRunCreationInScope(actor, input);
  await assertVersionOf(db, notebook.id, input.notebookVersionId);
  const userId = userIdOf(actor);
  const trainingId = input.tags?.[TRAINING_TAG];
  if (trainingId && /^[0-9a-f-]{36}$/.test(trainingId)) {
    // Every attempt of a background training logs into one run: a resumed attempt continues it.
    const [training] = await db
      .select({ runId: trainingJobs.runId, notebookId: trainingJobs.notebookId })
      .from(trainingJobs)
      .where(eq(trainingJobs.id, trainingId));
    if (training?.notebookId === notebook.id && training.runId) {
      const [resumed] = await db
        .update(runs)
        .set({
          status: 'running',
          endedAt: null,
          workerId: input.workerId ?? null,
          backend: input.backend ?? null,
          kernelId: input.kernelId ?? null,
        })
        .where(eq(runs.id, training.runId))
        .returning();
      if (resumed) {
        await db
          .insert(runCells)
          .values(runCellRow(resumed.id, input, userId))
          .onConflictDoNothing();
        return resumed;
      }
    }
  }
  const created = await db.transaction(async (tx) => {
    await tx
      .insert(experiments)
      .values({ workspaceId: notebook.workspaceId, notebookId: notebook.id, name: notebook.name })
      .onConflictDoNothing();
    const [experiment] = await tx
      .select()
      .from(experiments)
      .where(and(eq(experiments.workspaceId, notebook.workspaceId), eq(experiments.name, notebook.name)));
    const [run] = await tx
      .insert(runs)
      .values({
        experimentId: experiment!.id,
        workspaceId: notebook.workspaceId,
        name: input.name ?? defaultRunName(notebook.name, input.cellLabel),
        notebookId: notebook.id,
        notebookVersionId: input.notebookVersionId,
        cellId: input.cellId,
        sourceHash: input.sourceHash,
        backend: input.backend ?? null,
        workerId: input.workerId ?? null,
        kernelId: input.kernelId ?? (actor.kind === 'job' ? actor.kernelId : null),
        createdBy: userId,
        jobTokenId: actor.kind === 'job' ? actor.tokenId : null,
      })
      .returning();
    await tx.insert(runCells).values(runCellRow(run!.id, input, userId));
    const tags = Object.entries(input.tags ?? {});
    if (tags.length) await tx.insert(runTags).values(tags.map(([key, value]) => ({ runId: run!.id, key, value })));
    // A retraining started from a drift alert links its run back to the alert.
    const alertId = input.tags?.[RETRAIN_TAG];
    if (alertId && /^[0-9a-f-]{36}$/.test(alertId))
      await tx
        .update(driftAlerts)
        .set({ retrainRunId: run!.id })
        .where(and(eq(driftAlerts.id, alertId), eq(driftAlerts.workspaceId, notebook.workspaceId)));
    return run!;
  });
  if (trainingId && /^[0-9a-f-]{36}$/.test(trainingId))
    await db
      .update(trainingJobs)
      .set({ runId: created.id })
      .where(and(eq(trainingJobs.id, trainingId), eq(trainingJobs.notebookId, notebook.id)));
  return created;
}

/**
 * Records that another cell execution logs into an open run (the kernel's active run): the run's
 * history names each cell, its source hash, its notebook version and who ran it.
 */
export async function runCellAttacher(db: Db, actor: Actor, runId: string, cell: RunCell) {
  const run = await authorizeRun(db, actor, runId, 'run.log');
  if (actor.kind === 'job') assertCellInScope(actor, cell.executionId);
  if (run.status !== 'running') throw conflict(`run is already ${run.status}: open a new one with ferry.startRun()`);
  if (!run.notebookId) throw conflict('this run was not made by a notebook');
  await assertVersionOf(db, run.notebookId, cell.notebookVersionId);
  await db
    .insert(runCells)
    .values(runCellRow(run.id, cell, userIdOf(actor)))
    .onConflictDoNothing();
  return { runId: run.id, cells: 1 };
}
