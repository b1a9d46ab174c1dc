import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { deployments, devices } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { authorizeWorkspace } from '../../policies/authorize';
import { rolloutHealth } from './rollout-evaluator';
import { versionLabels } from './version-labels';

/** Each group: its devices by health and its current deployment with rollout progress. */
export async function fleetOverviewReader(db: Db, actor: Actor, workspaceId: string) {
  await authorizeWorkspace(db, actor, workspaceId, 'device.read');
  const counts = await db
    .select({ group: devices.group, health: devices.health, n: sql<number>`count(*)::int` })
    .from(devices)
    .where(eq(devices.workspaceId, workspaceId))
    .groupBy(devices.group, devices.health);
  const latest = await db
    .selectDistinctOn([deployments.group])
    .from(deployments)
    .where(eq(deployments.workspaceId, workspaceId))
    .orderBy(deployments.group, desc(deployments.createdAt));
  const labels = await versionLabels(
    db,
    latest.flatMap((d) => [d.modelVersionId, d.previousVersionId, d.variantVersionId]),
  );
  const groups = [...new Set([...counts.map((c) => c.group), ...latest.map((d) => d.group)])].sort();
  return Promise.all(
    groups.map(async (group) => {
      const d = latest.find((l) => l.group === group) ?? null;
      return {
        group,
        devices: Object.fromEntries(counts.filter((c) => c.group === group).map((c) => [c.health, c.n])),
        deployment: d && {
          id: d.id,
          status: d.status,
          stage: d.stage,
          version: { id: d.modelVersionId, label: labels.get(d.modelVersionId) ?? null },
          previous: d.previousVersionId ? { id: d.previousVersionId, label: labels.get(d.previousVersionId) ?? null } : null,
          variant: d.variantVersionId
            ? { id: d.variantVersionId, label: labels.get(d.variantVersionId) ?? null, percent: d.variantPercent }
            : null,
          alias: d.alias,
          canaryPercent: d.canaryPercent,
          autoAdvance: d.autoAdvance,
          canaries: d.canaryDeviceIds.length,
          haltThreshold: d.haltThreshold,
          haltReason: d.haltReason,
          health: await rolloutHealth(db, d),
          createdAt: d.createdAt.toISOString(),
          updatedAt: d.updatedAt.toISOString(),
        },
      };
    }),
  );
}
