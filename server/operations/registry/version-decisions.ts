import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { modelVersions, registeredModels } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { conflict, notFound } from '../../errors';
import { deploymentCreator } from '../fleet/deployment-creator';
import { authorizeWorkspace, userIdOf, type WorkspaceAction } from '../../policies/authorize';
import { recordRegistryChange } from './registry-event-recorder';

async function versionInWorkspace(db: Db, actor: Actor, versionId: string, action: WorkspaceAction) {
  const [row] = await db
    .select({ version: modelVersions, model: registeredModels })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(eq(modelVersions.id, versionId));
  if (!row) throw notFound('model version');
  await authorizeWorkspace(db, actor, row.model.workspaceId, action);
  return row;
}

/** Approve or reject a pending version: approvers only, once, with an audit entry. */
export async function versionDecider(
  db: Db,
  actor: Actor,
  input: { versionId: string; decision: 'approved' | 'rejected'; comment?: string },
) {
  const { model } = await versionInWorkspace(db, actor, input.versionId, 'model.approve');
  const userId = userIdOf(actor);
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(modelVersions)
      .set({ status: input.decision, decidedBy: userId, decidedAt: new Date(), decisionComment: input.comment ?? null })
      .where(and(eq(modelVersions.id, input.versionId), eq(modelVersions.status, 'pending')))
      .returning();
    if (!rows[0]) throw conflict('only a pending version can be approved or rejected; this one was already decided');
    await recordRegistryChange(tx as unknown as Db, {
      workspaceId: model.workspaceId,
      actorId: userId,
      action: `version.${input.decision}`,
      subjectType: 'model_version',
      subjectId: input.versionId,
      data: { comment: input.comment ?? null },
      event: {
        type: input.decision === 'approved' ? 'model_version.approved' : 'model_version.rejected',
        model: { id: model.id, name: model.name },
        version: { id: rows[0].id, version: rows[0].version },
      },
    });
    return rows[0];
  });
}

/** Rolls an approved version out to the workspace's `default` group, all at once (the quick path of the UI). */
export async function versionDeployer(db: Db, actor: Actor, versionId: string) {
  const { model } = await versionInWorkspace(db, actor, versionId, 'model.deploy');
  return deploymentCreator(db, actor, {
    workspaceId: model.workspaceId,
    group: 'default',
    versionId,
    canaryPercent: 100,
    haltThreshold: 0.2,
    autoAdvance: true,
  });
}

export { versionInWorkspace };
