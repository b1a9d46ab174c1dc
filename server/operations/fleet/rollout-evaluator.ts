import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import { decideRollout } from '../../../core/fleet/rollout-policy';
import type { Db } from '../../../drizzle/client';
import { deployments, devices, modelVersions, registeredModels } from '../../../drizzle/schema';
import { audit } from '../registry/audit';
import { groupDeployment, type DeploymentRow } from './group-deployment';

async function rolloutHealth(db: Db, row: DeploymentRow) {
  const targetedWhere =
    row.stage === 'canary'
      ? inArray(devices.id, row.canaryDeviceIds.length ? row.canaryDeviceIds : ['00000000-0000-0000-0000-000000000000'])
      : and(eq(devices.workspaceId, row.workspaceId), eq(devices.group, row.group), isNull(devices.revokedAt));
  const [targeted] = await db.select({ n: count() }).from(devices).where(targetedWhere);
  const [failed] = await db
    .select({ n: count() })
    .from(devices)
    .where(and(targetedWhere, eq(devices.failedVersionId, row.modelVersionId)));
  const [healthy] = await db
    .select({ n: count() })
    .from(devices)
    .where(and(targetedWhere, eq(devices.currentVersionId, row.modelVersionId), eq(devices.health, 'ok')));
  return { targeted: targeted?.n ?? 0, failed: failed?.n ?? 0, healthy: healthy?.n ?? 0 };
}

/**
 * Re-judges a group's rollout after one of its devices reported: halts it past the failure threshold,
 * or opens it to the whole group once every canary runs the new version healthily.
 */
export async function rolloutEvaluator(
  db: Db,
  workspaceId: string,
  group: string,
  concerning?: Array<string | null | undefined>,
): Promise<void> {
  const row = await groupDeployment(db, workspaceId, group);
  if (!row || row.status !== 'active') return;
  // A report about other versions cannot change this rollout's health; skip the counting.
  if (concerning && !concerning.includes(row.modelVersionId)) return;
  const [label] = await db
    .select({ name: registeredModels.name, version: modelVersions.version })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(eq(modelVersions.id, row.modelVersionId));
  const decision = decideRollout(
    {
      status: 'active',
      stage: row.stage as 'canary' | 'full',
      haltThreshold: row.haltThreshold,
      autoAdvance: row.autoAdvance,
      versionLabel: label ? `${label.name} v${label.version}` : 'the new version',
    },
    await rolloutHealth(db, row),
  );
  if (decision.action === 'none') return;
  const set =
    decision.action === 'halt'
      ? { status: 'halted', haltReason: decision.reason, updatedAt: new Date() }
      : { stage: 'full', updatedAt: new Date() };
  // The status guard makes concurrent reports decide once.
  const changed = await db
    .update(deployments)
    .set(set)
    .where(and(eq(deployments.id, row.id), eq(deployments.status, 'active'), eq(deployments.stage, row.stage)))
    .returning({ id: deployments.id });
  if (changed.length === 0) return;
  await audit(db, {
    workspaceId,
    actorId: null,
    action: decision.action === 'halt' ? 'deployment.halted' : 'deployment.advanced',
    subjectType: 'deployment',
    subjectId: row.id,
    data: decision.action === 'halt' ? { reason: decision.reason } : { stage: 'full' },
  });
}

export { rolloutHealth };
