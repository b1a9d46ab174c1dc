import { and, desc, eq } from 'drizzle-orm';
import type { DeploymentStage, DeploymentStatus, RolloutDeployment } from '../../../core/fleet/rollout-policy';
import type { Db } from '../../../drizzle/client';
import { deployments } from '../../../drizzle/schema';

export type DeploymentRow = typeof deployments.$inferSelect;

/** The deployment that decides what a group runs: its newest one, whatever its status. */
export async function groupDeployment(db: Db, workspaceId: string, group: string): Promise<DeploymentRow | null> {
  const [row] = await db
    .select()
    .from(deployments)
    .where(and(eq(deployments.workspaceId, workspaceId), eq(deployments.group, group)))
    .orderBy(desc(deployments.createdAt))
    .limit(1);
  return row ?? null;
}

export function rolloutFromRow(row: DeploymentRow): RolloutDeployment {
  return {
    id: row.id,
    status: row.status as DeploymentStatus,
    stage: row.stage as DeploymentStage,
    versionId: row.modelVersionId,
    previousVersionId: row.previousVersionId,
    canaryDeviceIds: row.canaryDeviceIds,
    variantVersionId: row.variantVersionId,
    variantPercent: row.variantPercent,
  };
}

/** The version most of the group runs under a deployment: what the next rollout falls back to. */
export function stableVersionOf(row: DeploymentRow | null): string | null {
  if (!row) return null;
  return row.status === 'active' && row.stage === 'full' ? row.modelVersionId : row.previousVersionId;
}
