import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import {
  modelVersions,
  notebookVersions,
  registeredModels,
  runCells,
  runMetrics,
  runs,
  trainingJobs,
  users,
} from '../../../drizzle/schema';

// What a run page shows beyond params and metrics: the cells that logged into the run (with their
// source as it ran, and who ran them), the notebook versions they came from, the model versions
// promoted from it and the background training it belongs to.

interface StoredCell {
  id: string;
  source: string | string[];
}

/** The cells that logged into the run, oldest first, with their source from the notebook version they ran from. */
export async function runCellsOf(db: Db, runId: string) {
  const rows = await db
    .select({
      executionId: runCells.executionId,
      cellId: runCells.cellId,
      notebookVersionId: runCells.notebookVersionId,
      sourceHash: runCells.sourceHash,
      executionCount: runCells.executionCount,
      loggedAt: runCells.loggedAt,
      userId: runCells.userId,
      userEmail: users.email,
      userName: users.name,
    })
    .from(runCells)
    .leftJoin(users, eq(users.id, runCells.userId))
    .where(eq(runCells.runId, runId))
    .orderBy(asc(runCells.loggedAt));
  const versionIds = [...new Set(rows.map((r) => r.notebookVersionId).filter((v): v is string => v !== null))];
  const versions = versionIds.length
    ? await db
        .select({
          id: notebookVersions.id,
          kind: notebookVersions.kind,
          name: notebookVersions.name,
          createdAt: notebookVersions.createdAt,
          notebookId: notebookVersions.notebookId,
          content: notebookVersions.content,
        })
        .from(notebookVersions)
        .where(inArray(notebookVersions.id, versionIds))
    : [];
  const sourceOf = (versionId: string | null, cellId: string) => {
    const cell = (versions.find((v) => v.id === versionId)?.content as { cells?: StoredCell[] } | undefined)?.cells?.find(
      (c) => c.id === cellId,
    );
    if (!cell) return null;
    return typeof cell.source === 'string' ? cell.source : cell.source.join('');
  };
  return {
    cells: rows.map((r) => ({
      executionId: r.executionId,
      cellId: r.cellId,
      notebookVersionId: r.notebookVersionId,
      sourceHash: r.sourceHash,
      executionCount: r.executionCount,
      loggedAt: r.loggedAt,
      user: r.userId ? { id: r.userId, email: r.userEmail, name: r.userName } : null,
      source: sourceOf(r.notebookVersionId, r.cellId),
    })),
    notebookVersions: versions.map(({ content: _content, ...v }) => v).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()),
  };
}

/** Model versions registered from the run (a promote), newest first. */
export async function runModelVersionsOf(db: Db, runId: string) {
  return db
    .select({
      id: modelVersions.id,
      version: modelVersions.version,
      status: modelVersions.status,
      modelId: registeredModels.id,
      modelName: registeredModels.name,
      createdAt: modelVersions.createdAt,
    })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(eq(modelVersions.runId, runId))
    .orderBy(desc(modelVersions.createdAt));
}

/** The background training the run belongs to (its attempts and checkpoint), if any. */
export async function runTrainingOf(db: Db, runId: string) {
  const [training] = await db
    .select({
      id: trainingJobs.id,
      status: trainingJobs.status,
      attempts: trainingJobs.attempts,
      workerId: trainingJobs.workerId,
      checkpoint: trainingJobs.checkpoint,
      progress: trainingJobs.progress,
      createdAt: trainingJobs.createdAt,
      endedAt: trainingJobs.endedAt,
    })
    .from(trainingJobs)
    .where(eq(trainingJobs.runId, runId));
  return training ?? null;
}

/** Each metric's final (latest step) and best values: min for loss-like keys, max otherwise. */
export async function runMetricSummaryOf(db: Db, runId: string) {
  const rows = (await db.execute(sql`
    select key,
      (array_agg(value order by step desc, timestamp desc))[1] as final,
      min(value) as min, max(value) as max, count(*) as points, max(step) as last_step
    from ${runMetrics} where run_id = ${runId}::uuid group by key order by key`)) as unknown as {
    rows: Array<{ key: string; final: number; min: number; max: number; points: string | number; last_step: string | number }>;
  };
  return rows.rows.map((r) => ({
    key: r.key,
    final: Number(r.final),
    best: lowerIsBetter(r.key) ? Number(r.min) : Number(r.max),
    goal: lowerIsBetter(r.key) ? ('min' as const) : ('max' as const),
    points: Number(r.points),
    lastStep: Number(r.last_step),
  }));
}

/** Loss and error metrics improve downwards; accuracy-like ones upwards (W&B's and MLflow's summaries assume the same). */
export function lowerIsBetter(key: string): boolean {
  return /loss|error|mae|mse|rmse|perplexity|wer|cer/i.test(key);
}

export type RunRow = typeof runs.$inferSelect;
