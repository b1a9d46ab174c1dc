import { eq } from 'drizzle-orm';
import { assertNever } from '../../../core/assert-never';
import type { Db } from '../../../drizzle/client';
import { deployments } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { conflict, notFound } from '../../errors';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';
import { audit } from '../registry/audit';
import { groupDeployment } from './group-deployment';

export type DeploymentAction = 'advance' | 'halt' | 'resume' | 'rollback';

function nextState(row: typeof deployments.$inferSelect, action: DeploymentAction) {
  switch (action) {
    case 'advance':
      if (row.status !== 'active' || row.stage !== 'canary')
        throw conflict(`only an active canary can advance; this deployment is ${row.status}, ${row.stage}`);
      return { stage: 'full' };
    case 'halt':
      if (row.status !== 'active') throw conflict(`only an active deployment can be halted; this one is ${row.status}`);
      return { status: 'halted', haltReason: 'halted by hand' };
    case 'resume':
      if (row.status !== 'halted') throw conflict(`only a halted deployment can resume; this one is ${row.status}`);
      return { status: 'active', haltReason: null };
    case 'rollback':
      if (row.status === 'rolled_back' || row.status === 'superseded')
        throw conflict(`this deployment is ${row.status.replace('_', ' ')}; roll back the group's current deployment instead`);
      return { status: 'rolled_back' };
    default:
      return assertNever(action);
  }
}

/** Advance a canary to the whole group, halt or resume a rollout, or roll the group back to its previous version. */
export async function deploymentController(db: Db, actor: Actor, deploymentId: string, action: DeploymentAction) {
  const [row] = await db.select().from(deployments).where(eq(deployments.id, deploymentId));
  if (!row) throw notFound('deployment');
  await authorizeWorkspace(db, actor, row.workspaceId, 'model.deploy');
  const newest = await groupDeployment(db, row.workspaceId, row.group);
  if (newest?.id !== row.id) throw conflict('a newer deployment has replaced this one in its group; act on that one');
  if (action === 'rollback' && !row.previousVersionId)
    throw conflict('nothing to roll back to: the group ran no model before this deployment');
  const [updated] = await db
    .update(deployments)
    .set({ ...nextState(row, action), updatedAt: new Date() })
    .where(eq(deployments.id, deploymentId))
    .returning();
  await audit(db, {
    workspaceId: row.workspaceId,
    actorId: userIdOf(actor),
    action: `deployment.${action}`,
    subjectType: 'deployment',
    subjectId: deploymentId,
    data: { group: row.group },
  });
  return updated!;
}
