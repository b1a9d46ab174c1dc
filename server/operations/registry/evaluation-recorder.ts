import { and, desc, eq } from 'drizzle-orm';
import type { EvaluationRequest } from '../../../core/contracts/api/registry-review';
import type { Db } from '../../../drizzle/client';
import { datasets, datasetVersions, modelVersionEvaluations } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { notFound } from '../../errors';
import { userIdOf } from '../../policies/authorize';
import { parseDatasetRef } from '../datasets/dataset-queries';
import { recordRegistryChange } from './registry-event-recorder';
import { versionInWorkspace } from './version-decisions';

/**
 * Records a version's metrics on a fixed dataset version of its workspace. Measuring again on the same
 * dataset version replaces the numbers; the audit log keeps every recording.
 */
export async function evaluationRecorder(db: Db, actor: Actor, versionId: string, input: EvaluationRequest) {
  const { version, model } = await versionInWorkspace(db, actor, versionId, 'model.promote');
  const ref = parseDatasetRef(input.dataset);
  const [dv] = await db
    .select({ id: datasetVersions.id, version: datasetVersions.version, sha256: datasetVersions.sha256, name: datasets.name })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(and(eq(datasets.workspaceId, model.workspaceId), eq(datasets.name, ref.name), eq(datasetVersions.version, ref.version ?? -1)));
  if (!dv) throw notFound(`dataset version ${input.dataset} in this workspace`);
  const userId = userIdOf(actor);
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    const [row] = await txDb
      .insert(modelVersionEvaluations)
      .values({ versionId, datasetVersionId: dv.id, metrics: input.metrics, createdBy: userId })
      .onConflictDoUpdate({
        target: [modelVersionEvaluations.versionId, modelVersionEvaluations.datasetVersionId],
        set: { metrics: input.metrics, createdBy: userId, createdAt: new Date() },
      })
      .returning();
    const data = { dataset: { name: dv.name, version: dv.version, sha256: dv.sha256 }, metrics: input.metrics };
    await recordRegistryChange(txDb, {
      workspaceId: model.workspaceId,
      actorId: userId,
      action: 'version.evaluated',
      subjectType: 'model_version',
      subjectId: versionId,
      data,
      event: {
        type: 'model_version.evaluated',
        model: { id: model.id, name: model.name },
        version: { id: version.id, version: version.version },
      },
    });
    return { evaluation: { id: row!.id, dataset: data.dataset, metrics: row!.metrics, createdAt: row!.createdAt } };
  });
}

export async function evaluationsOf(db: Db, versionId: string) {
  const rows = await db
    .select({
      metrics: modelVersionEvaluations.metrics,
      createdAt: modelVersionEvaluations.createdAt,
      datasetId: datasets.id,
      name: datasets.name,
      version: datasetVersions.version,
      sha256: datasetVersions.sha256,
    })
    .from(modelVersionEvaluations)
    .innerJoin(datasetVersions, eq(datasetVersions.id, modelVersionEvaluations.datasetVersionId))
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(eq(modelVersionEvaluations.versionId, versionId))
    .orderBy(desc(modelVersionEvaluations.createdAt));
  return rows.map((r) => ({
    dataset: { id: r.datasetId, name: r.name, version: r.version, sha256: r.sha256, ref: `${r.name}@${r.version}` },
    metrics: r.metrics,
    createdAt: r.createdAt,
  }));
}
