import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { kernelRunCreateSchema } from '../../../core/contracts/api/kernel-runs';
import type { Db } from '../../../drizzle/client';
import { driftAlerts, experiments, notebookVersions, runs, runTags, trainingJobs } from '../../../drizzle/schema';
import { TRAINING_TAG } from '../../../core/contracts/messages/training';
import { RETRAIN_TAG } from '../../../core/contracts/api/device';
import type { Actor } from '../../auth/actor';
import { invalid } from '../../errors';
import { authorizeNotebook, userIdOf } from '../../policies/authorize';
import { assertRunCreationInScope } from '../../policies/job-scope';

/** A run of one cell execution, in the notebook's experiment (created with the first run). */
export async function runCreator(db: Db, actor: Actor, input: z.infer<typeof kernelRunCreateSchema>) {
  const { notebook } = await authorizeNotebook(db, actor, input.notebookId, 'run.log');
  if (actor.kind === 'job') assertRunCreationInScope(actor, input);
  const [version] = await db
    .select({ id: notebookVersions.id, notebookId: notebookVersions.notebookId })
    .from(notebookVersions)
    .where(eq(notebookVersions.id, input.notebookVersionId));
  if (!version || version.notebookId !== notebook.id) throw invalid('notebookVersionId does not belong to this notebook');
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
        .set({ status: 'running', endedAt: null, workerId: input.workerId ?? null, backend: input.backend ?? null })
        .where(eq(runs.id, training.runId))
        .returning();
      if (resumed) return resumed;
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
        name: `${notebook.name} · cell ${input.cellId}`,
        notebookId: notebook.id,
        notebookVersionId: input.notebookVersionId,
        cellId: input.cellId,
        sourceHash: input.sourceHash,
        backend: input.backend ?? null,
        workerId: input.workerId ?? null,
        createdBy: userIdOf(actor),
        jobTokenId: actor.kind === 'job' ? actor.tokenId : null,
      })
      .returning();
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
