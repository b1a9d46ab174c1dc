import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { memberships, users } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { conflict, invalid, notFound } from '../../errors';
import { authorizeWorkspace, type Role } from '../../policies/authorize';
import { userByEmail } from '../identity/user-creator';

export async function memberLister(db: Db, actor: Actor, workspaceId: string) {
  await authorizeWorkspace(db, actor, workspaceId, 'workspace.read');
  return db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, approver: memberships.approver })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId));
}

export async function memberAdder(db: Db, actor: Actor, input: { workspaceId: string; email: string; role: Role; approver: boolean }) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'workspace.manage-members');
  const user = await userByEmail(db, input.email);
  if (!user) throw notFound(`user ${input.email} (create the account first: npm run ferry -- user create)`);
  const inserted = await db
    .insert(memberships)
    .values({ workspaceId: input.workspaceId, userId: user.id, role: input.role, approver: input.approver })
    .onConflictDoNothing()
    .returning();
  if (inserted.length === 0) throw conflict(`${input.email} is already a member`);
  return { userId: user.id, email: user.email, name: user.name, role: input.role, approver: input.approver };
}

export async function memberUpdater(db: Db, actor: Actor, input: { workspaceId: string; userId: string; role?: Role; approver?: boolean }) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'workspace.manage-members');
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    if (input.role && input.role !== 'owner') await keepAnOwner(txDb, input.workspaceId, input.userId);
    const patch: Partial<{ role: Role; approver: boolean }> = {};
    if (input.role) patch.role = input.role;
    if (input.approver !== undefined) patch.approver = input.approver;
    if (Object.keys(patch).length === 0) throw invalid('nothing to change: give role and/or approver');
    const rows = await tx
      .update(memberships)
      .set(patch)
      .where(and(eq(memberships.workspaceId, input.workspaceId), eq(memberships.userId, input.userId)))
      .returning();
    if (!rows.length) throw notFound('member');
    return rows[0]!;
  });
}

export async function memberRemover(db: Db, actor: Actor, input: { workspaceId: string; userId: string }) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'workspace.manage-members');
  await db.transaction(async (tx) => {
    await keepAnOwner(tx as unknown as Db, input.workspaceId, input.userId);
    const rows = await tx
      .delete(memberships)
      .where(and(eq(memberships.workspaceId, input.workspaceId), eq(memberships.userId, input.userId)))
      .returning();
    if (!rows.length) throw notFound('member');
  });
}

/** A workspace must never be left without an owner. */
async function keepAnOwner(db: Db, workspaceId: string, leavingUserId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, 'owner'), sql`${memberships.userId} <> ${leavingUserId}`));
  const [leaving] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, leavingUserId)));
  if (leaving?.role === 'owner' && (row?.n ?? 0) === 0) throw conflict('a workspace needs at least one owner');
}
