import { and, eq, inArray } from 'drizzle-orm';
import { NOTE_TAG } from '../../../core/tracking/run-note';
import type { Db } from '../../../drizzle/client';
import { runs, runTags } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { conflict, invalid, notFound } from '../../errors';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';
import { experimentGetter } from './experiments';
import { authorizeRun } from './run-access';
import { runLogger } from './run-logger';

export type RunStatus = (typeof runs.$inferSelect)['status'];

/** A run started from outside a notebook (an MLflow client, a script): no notebook lineage, tags instead. */
export async function apiRunCreator(
  db: Db,
  actor: Actor,
  input: { experimentId: string; runName?: string; startTime?: number; tags?: Record<string, string> },
) {
  const experiment = await experimentGetter(db, actor, input.experimentId);
  await authorizeWorkspace(db, actor, experiment.workspaceId, 'run.log');
  if (experiment.lifecycleStage === 'deleted') throw conflict('this experiment is deleted; restore it first');
  const [run] = await db
    .insert(runs)
    .values({
      experimentId: experiment.id,
      workspaceId: experiment.workspaceId,
      name: input.runName ?? input.tags?.['mlflow.runName'] ?? `run-${crypto.randomUUID().slice(0, 8)}`,
      startedAt: input.startTime ? new Date(input.startTime) : new Date(),
      createdBy: userIdOf(actor),
    })
    .returning();
  if (input.tags && Object.keys(input.tags).length) await runLogger(db, actor, run!.id, { tags: input.tags });
  return run!;
}

/** Status, end time and name of a run; delete and restore (soft) as MLflow does. */
export async function runUpdater(
  db: Db,
  actor: Actor,
  runId: string,
  change: { status?: RunStatus; endTime?: number; runName?: string; lifecycleStage?: 'active' | 'deleted' },
) {
  await authorizeRun(db, actor, runId, 'run.log');
  const ended = change.status && change.status !== 'running';
  const [row] = await db
    .update(runs)
    .set({
      ...(change.status ? { status: change.status } : {}),
      ...(change.endTime !== undefined ? { endedAt: new Date(change.endTime) } : ended ? { endedAt: new Date() } : {}),
      ...(change.runName ? { name: change.runName } : {}),
      ...(change.lifecycleStage ? { lifecycleStage: change.lifecycleStage } : {}),
    })
    .where(eq(runs.id, runId))
    .returning();
  return row!;
}

export async function runTagDeleter(db: Db, actor: Actor, runId: string, key: string) {
  await authorizeRun(db, actor, runId, 'run.log');
  const removed = await db
    .delete(runTags)
    .where(and(eq(runTags.runId, runId), eq(runTags.key, key)))
    .returning();
  if (removed.length === 0) throw notFound(`tag "${key}" on run ${runId}`);
}

/** The run page's edits: rename, notes (MLflow's note tag), tags set and removed; in one transaction. */
export async function runEditor(
  db: Db,
  actor: Actor,
  runId: string,
  change: { name?: string; note?: string; tags?: Record<string, string>; removeTags?: string[] },
) {
  await authorizeRun(db, actor, runId, 'run.log');
  const reserved = [...Object.keys(change.tags ?? {}), ...(change.removeTags ?? [])].find((k) => k === NOTE_TAG);
  if (reserved) throw invalid(`"${NOTE_TAG}" holds the run's notes: change them with "note"`);
  await db.transaction(async (tx) => {
    if (change.name) await tx.update(runs).set({ name: change.name }).where(eq(runs.id, runId));
    const set = { ...change.tags, ...(change.note !== undefined ? { [NOTE_TAG]: change.note } : {}) };
    for (const [key, value] of Object.entries(set))
      await tx
        .insert(runTags)
        .values({ runId, key, value })
        .onConflictDoUpdate({ target: [runTags.runId, runTags.key], set: { value } });
    if (change.removeTags?.length) await tx.delete(runTags).where(and(eq(runTags.runId, runId), inArray(runTags.key, change.removeTags)));
  });
  return { id: runId };
}
