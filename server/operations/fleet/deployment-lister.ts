import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { deployments } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { authorizeWorkspace } from '../../policies/authorize';
import { versionLabels } from './version-labels';

export async function deploymentLister(db: Db, actor: Actor, workspaceId: string, group?: string) {
  await authorizeWorkspace(db, actor, workspaceId, 'device.read');
  const rows = await db
    .select()
    .from(deployments)
    .where(and(eq(deployments.workspaceId, workspaceId), group ? eq(deployments.group, group) : undefined))
    .orderBy(desc(deployments.createdAt))
    .limit(200);
  const labels = await versionLabels(
    db,
    rows.flatMap((d) => [d.modelVersionId, d.previousVersionId, d.variantVersionId]),
  );
  return rows.map((d) => ({
    ...d,
    label: labels.get(d.modelVersionId) ?? null,
    previousLabel: d.previousVersionId ? (labels.get(d.previousVersionId) ?? null) : null,
    variantLabel: d.variantVersionId ? (labels.get(d.variantVersionId) ?? null) : null,
  }));
}
