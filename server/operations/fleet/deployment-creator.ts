import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DeploymentCreate } from '../../../core/contracts/api/device';
import { chooseCanaries } from '../../../core/fleet/rollout-policy';
import type { Db } from '../../../drizzle/client';
import { deployments, devices, modelAliases, modelVersions, registeredModels } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { conflict, invalid, notFound } from '../../errors';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';
import { audit } from '../registry/audit';
import { groupDeployment, stableVersionOf } from './group-deployment';

async function approvedVersion(db: Db, workspaceId: string, versionId: string, what: string) {
  const [row] = await db
    .select({ version: modelVersions, model: registeredModels })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(eq(modelVersions.id, versionId));
  if (!row || row.model.workspaceId !== workspaceId) throw notFound(what);
  if (row.version.status !== 'approved')
    throw conflict(`only approved versions can be deployed; ${row.model.name} v${row.version.version} is ${row.version.status}`);
  return row;
}

async function resolveAlias(db: Db, modelId: string, alias: string) {
  const [row] = await db
    .select({ versionId: modelAliases.versionId })
    .from(modelAliases)
    .where(and(eq(modelAliases.modelId, modelId), eq(modelAliases.alias, alias)));
  if (!row) throw notFound(`alias "${alias}" on this model`);
  return row.versionId;
}

/**
 * Rolls a version (or the version an alias points at) out to a group: canaries first when asked, the
 * rest after; the group's previous deployment is superseded and becomes the fallback.
 */
export async function deploymentCreator(db: Db, actor: Actor, input: DeploymentCreate) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'model.deploy');
  const versionId = input.versionId ?? (await resolveAlias(db, input.modelId!, input.alias!));
  const { version, model } = await approvedVersion(db, input.workspaceId, versionId, 'model version');
  if (input.variant) {
    if (input.variant.versionId === versionId) throw invalid('an A/B variant must be a different version');
    await approvedVersion(db, input.workspaceId, input.variant.versionId, 'variant version');
  }
  const userId = userIdOf(actor);
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const previous = await groupDeployment(t, input.workspaceId, input.group);
    const fallback = stableVersionOf(previous);
    const groupDevices = await t
      .select({ id: devices.id })
      .from(devices)
      .where(and(eq(devices.workspaceId, input.workspaceId), eq(devices.group, input.group), isNull(devices.revokedAt)));
    await t
      .update(deployments)
      .set({ status: 'superseded', updatedAt: new Date() })
      .where(
        and(
          eq(deployments.workspaceId, input.workspaceId),
          eq(deployments.group, input.group),
          inArray(deployments.status, ['active', 'halted']),
        ),
      );
    // A canary only makes sense when something else keeps serving the rest of the group.
    const staged = input.canaryPercent < 100 && fallback !== null && fallback !== versionId;
    const id = crypto.randomUUID();
    const [deployment] = await t
      .insert(deployments)
      .values({
        id,
        workspaceId: input.workspaceId,
        group: input.group,
        modelVersionId: versionId,
        alias: input.alias ?? null,
        previousVersionId: fallback === versionId ? (previous?.previousVersionId ?? null) : fallback,
        stage: staged ? 'canary' : 'full',
        canaryPercent: staged ? input.canaryPercent : 100,
        canaryDeviceIds: staged
          ? chooseCanaries(
              id,
              groupDevices.map((d) => d.id),
              input.canaryPercent,
            )
          : [],
        haltThreshold: input.haltThreshold,
        autoAdvance: input.autoAdvance,
        variantVersionId: input.variant?.versionId ?? null,
        variantPercent: input.variant?.percent ?? 0,
        createdBy: userId,
      })
      .returning();
    await audit(t, {
      workspaceId: input.workspaceId,
      actorId: userId,
      action: 'deployment.created',
      subjectType: 'deployment',
      subjectId: id,
      data: {
        model: model.name,
        version: version.version,
        group: input.group,
        alias: input.alias ?? null,
        canaryPercent: staged ? input.canaryPercent : 100,
        canaries: deployment!.canaryDeviceIds.length,
        variant: input.variant ?? null,
      },
    });
    return deployment!;
  });
}
