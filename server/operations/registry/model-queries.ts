import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import {
  auditLog,
  modelAliases,
  modelVersions,
  notebooks,
  notebookVersions,
  registeredModels,
  runLatestMetrics,
  runParams,
  runs,
  users,
} from '../../../drizzle/schema';
import { runMetricSummaryOf, runTrainingOf } from '../tracking/run-record';
import { runDatasetsOf } from '../datasets/dataset-queries';
import { evaluationsOf } from './evaluation-recorder';
import type { Actor } from '../../auth/actor';
import { authorizeWorkspace, workspacesOf } from '../../policies/authorize';
import { versionInWorkspace } from './version-decisions';

export async function modelLister(db: Db, actor: Actor, workspaceId?: string) {
  if (workspaceId) await authorizeWorkspace(db, actor, workspaceId, 'model.read');
  const mine = workspacesOf(db, actor);
  const models = await db
    .select()
    .from(registeredModels)
    .where(workspaceId ? eq(registeredModels.workspaceId, workspaceId) : inArray(registeredModels.workspaceId, mine))
    .orderBy(desc(registeredModels.updatedAt));
  if (models.length === 0) return [];
  const versions = await db
    .select({
      id: modelVersions.id,
      modelId: modelVersions.modelId,
      version: modelVersions.version,
      status: modelVersions.status,
      runId: modelVersions.runId,
      size: modelVersions.size,
      createdAt: modelVersions.createdAt,
      onnxSha256: modelVersions.onnxSha256,
    })
    .from(modelVersions)
    .where(
      inArray(
        modelVersions.modelId,
        models.map((m) => m.id),
      ),
    )
    .orderBy(desc(modelVersions.version));
  return models.map((m) => ({ ...m, versions: versions.filter((v) => v.modelId === m.id) }));
}

/**
 * A version with everything an approver or auditor asks about it: its model card, signature, aliases,
 * evaluations, the run that made it (params, latest metrics, worker) and the lineage behind that run:
 * the exact notebook version and the dataset versions it read. Audit history last.
 */
export async function versionGetter(db: Db, actor: Actor, versionId: string) {
  const { version, model } = await versionInWorkspace(db, actor, versionId, 'model.read');
  return describeVersion(db, version, model);
}

type VersionRow = typeof modelVersions.$inferSelect;
type ModelRow = typeof registeredModels.$inferSelect;

export async function describeVersion(db: Db, version: VersionRow, model: ModelRow) {
  const [run] = version.runId ? await db.select().from(runs).where(eq(runs.id, version.runId)) : [];
  const [nbVersion] = run?.notebookVersionId
    ? await db
        .select({
          id: notebookVersions.id,
          name: notebookVersions.name,
          kind: notebookVersions.kind,
          contentHash: notebookVersions.contentHash,
          createdAt: notebookVersions.createdAt,
          notebookId: notebookVersions.notebookId,
          notebookName: notebooks.name,
        })
        .from(notebookVersions)
        .innerJoin(notebooks, eq(notebooks.id, notebookVersions.notebookId))
        .where(eq(notebookVersions.id, run.notebookVersionId))
    : [];
  const [summary, training] = run ? await Promise.all([runMetricSummaryOf(db, run.id), runTrainingOf(db, run.id)]) : [[], null];
  const [params, metrics, data, evaluations, aliases, history] = await Promise.all([
    run
      ? db.select({ key: runParams.key, value: runParams.value }).from(runParams).where(eq(runParams.runId, run.id)).orderBy(runParams.key)
      : [],
    run
      ? db
          .select({ key: runLatestMetrics.key, value: runLatestMetrics.value, step: runLatestMetrics.step })
          .from(runLatestMetrics)
          .where(eq(runLatestMetrics.runId, run.id))
          .orderBy(runLatestMetrics.key)
      : [],
    run ? runDatasetsOf(db, run.id) : [],
    evaluationsOf(db, version.id),
    db.select({ alias: modelAliases.alias }).from(modelAliases).where(eq(modelAliases.versionId, version.id)).orderBy(modelAliases.alias),
    db
      .select({ action: auditLog.action, actorId: auditLog.actorId, actorName: users.name, data: auditLog.data, at: auditLog.at })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(and(eq(auditLog.subjectType, 'model_version'), eq(auditLog.subjectId, version.id)))
      .orderBy(asc(auditLog.at)),
  ]);
  return {
    ...version,
    model: { id: model.id, name: model.name, workspaceId: model.workspaceId, description: model.description },
    aliases: aliases.map((a) => a.alias),
    evaluations,
    lineage: {
      run: run
        ? {
            id: run.id,
            name: run.name,
            cellId: run.cellId,
            sourceHash: run.sourceHash,
            status: run.status,
            workerId: run.workerId,
            backend: run.backend,
            startedAt: run.startedAt,
            endedAt: run.endedAt,
            params,
            metrics: metrics.map((m) => {
              const best = summary.find((b) => b.key === m.key);
              return { ...m, best: best?.best ?? m.value, goal: best?.goal ?? 'max' };
            }),
            training: training && {
              id: training.id,
              status: training.status,
              attempts: training.attempts,
              checkpointEpoch: (training.checkpoint as { epoch?: number } | null)?.epoch ?? null,
            },
          }
        : null,
      notebookVersion: nbVersion ?? null,
      datasets: data.map((d) => ({ ...d, ref: `${d.name}@${d.version}` })),
    },
    history,
  };
}
