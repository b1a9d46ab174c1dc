import { and, eq } from 'drizzle-orm';
import type { Db } from '../../drizzle/client';
import { memberships, notebooks } from '../../drizzle/schema';
import { assertNever } from '../../core/assert-never';
import type { Actor } from '../auth/actor';
import { forbidden, notFound, unauthenticated } from '../errors';

// Who may do what, in one place. Routes and websocket rooms call these; nothing else decides access.

export type Role = 'owner' | 'editor' | 'viewer';
const rank: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 };

export type WorkspaceAction =
  | 'workspace.read'
  | 'workspace.manage-members'
  | 'workspace.manage-webhooks'
  | 'notebook.create'
  | 'notebook.read'
  | 'notebook.edit'
  | 'notebook.execute'
  | 'run.read'
  | 'run.log'
  | 'model.read'
  | 'model.promote'
  | 'model.approve'
  | 'model.deploy'
  | 'model.alias'
  | 'device.read'
  | 'device.enroll'
  | 'device.manage'
  | 'drift.retrain';

function requirement(action: WorkspaceAction): { role: Role; approver?: boolean } {
  switch (action) {
    case 'workspace.read':
    case 'notebook.read':
    case 'run.read':
    case 'model.read':
    case 'device.read':
      return { role: 'viewer' };
    case 'notebook.create':
    case 'notebook.edit':
    case 'notebook.execute':
    case 'run.log':
    case 'model.promote':
      return { role: 'editor' };
    case 'drift.retrain':
      return { role: 'editor' };
    case 'model.approve':
    case 'model.deploy':
    case 'model.alias':
      return { role: 'editor', approver: true };
    case 'workspace.manage-members':
    case 'workspace.manage-webhooks':
    case 'device.enroll':
    case 'device.manage':
      return { role: 'owner' };
    default:
      return assertNever(action);
  }
}

export interface Membership {
  role: Role;
  approver: boolean;
}

export async function membershipOf(db: Db, userId: string, workspaceId: string): Promise<Membership | null> {
  const [row] = await db
    .select({ role: memberships.role, approver: memberships.approver })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.workspaceId, workspaceId)))
    .limit(1);
  return row ?? null;
}

export function userIdOf(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
    case 'job':
      return actor.userId;
    case 'device':
      throw forbidden('a device credential cannot be used for this');
    case 'anonymous':
      throw unauthenticated();
    default:
      return assertNever(actor);
  }
}

/** Throws unless the actor may perform the action in the workspace; returns the membership. */
export async function authorizeWorkspace(db: Db, actor: Actor, workspaceId: string, action: WorkspaceAction): Promise<Membership> {
  const userId = userIdOf(actor);
  if (actor.kind === 'job' && action !== 'run.log' && action !== 'run.read' && action !== 'notebook.read')
    throw forbidden('a job token may only log runs for its notebook');
  const membership = await membershipOf(db, userId, workspaceId);
  // Not a member: say "not found" so workspace ids cannot be probed.
  if (!membership) throw notFound('workspace');
  const need = requirement(action);
  if (rank[membership.role] < rank[need.role]) throw forbidden(`${action} needs the ${need.role} role; you are ${membership.role}`);
  if (need.approver && !membership.approver) throw forbidden(`${action} needs the approver flag on your membership`);
  return membership;
}

/** Notebook-scoped check; also confines job tokens to the notebook they were issued for. */
export async function authorizeNotebook(db: Db, actor: Actor, notebookId: string, action: WorkspaceAction) {
  const [nb] = await db.select().from(notebooks).where(eq(notebooks.id, notebookId)).limit(1);
  if (!nb) throw notFound('notebook');
  if (actor.kind === 'job' && actor.notebookId !== notebookId) throw forbidden('this job token belongs to another notebook');
  const membership = await authorizeWorkspace(db, actor, nb.workspaceId, action);
  return { notebook: nb, membership };
}

/** The workspaces a caller belongs to, as a subquery: lists without a workspace filter span exactly these. */
export function workspacesOf(db: Db, actor: Actor) {
  return db
    .select({ id: memberships.workspaceId })
    .from(memberships)
    .where(eq(memberships.userId, userIdOf(actor)));
}
