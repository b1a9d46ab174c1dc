import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { deployments, modelVersions, registeredModels } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { conflict, notFound } from '../../errors';
import { authorizeWorkspace, userIdOf, type WorkspaceAction } from '../../policies/authorize';
import { audit } from './audit';

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
    await audit(tx as unknown as Db, {
      workspaceId: model.workspaceId,
      actorId: userId,
      action: `version.${input.decision}`,
      subjectType: 'model_version',
      subjectId: input.versionId,
      data: { comment: input.comment ?? null },
    });
    return rows[0];
  });
}

/** Makes an approved version the workspace's deployment; devices pick it up on their next poll. */
export async function versionDeployer(db: Db, actor: Actor, versionId: string) {
  const { version, model } = await versionInWorkspace(db, actor, versionId, 'model.deploy');
  if (version.status !== 'approved') throw conflict(`only approved versions can be deployed; this one is ${version.status}`);
  const userId = userIdOf(actor);
  return db.transaction(async (tx) => {
    await tx
      .update(deployments)
      .set({ status: 'superseded' })
      .where(
        and(eq(deployments.workspaceId, model.workspaceId), eq(deployments.status, 'active'), ne(deployments.modelVersionId, versionId)),
      );
    const [deployment] = await tx
      .insert(deployments)
      .values({ workspaceId: model.workspaceId, modelVersionId: versionId, createdBy: userId })
      .returning();
    await audit(tx as unknown as Db, {
      workspaceId: model.workspaceId,
      actorId: userId,
      action: 'version.deployed',
      subjectType: 'model_version',
      subjectId: versionId,
      data: { deploymentId: deployment!.id },
    });
    return deployment!;
  });
}

export { versionInWorkspace };
