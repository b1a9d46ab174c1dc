import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { kernelRunCreateSchema } from '../../../core/contracts/api/kernel-runs';
import type { Db } from '../../../drizzle/client';
import { driftAlerts, experiments, notebookVersions, runs, runTags } from '../../../drizzle/schema';
import { RETRAIN_TAG } from '../../../core/contracts/api/device';
import type { Actor } from '../../auth/actor';
import { invalid } from '../../errors';
import { authorizeNotebook, userIdOf } from '../../policies/authorize';

/** A run of one cell execution, in the notebook's experiment (created with the first run). */
export async function runCreator(db: Db, actor: Actor, input: z.infer<typeof kernelRunCreateSchema>) {
  const { notebook } = await authorizeNotebook(db, actor, input.notebookId, 'run.log');
  const [version] = await db
    .select({ id: notebookVersions.id, notebookId: notebookVersions.notebookId })
    .from(notebookVersions)
    .where(eq(notebookVersions.id, input.notebookVersionId));
  if (!version || version.notebookId !== notebook.id) throw invalid('notebookVersionId does not belong to this notebook');
  return db.transaction(async (tx) => {
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
}
