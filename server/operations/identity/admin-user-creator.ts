import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { memberships, workspaces } from '../../../drizzle/schema';
import { notFound } from '../../errors';
import type { Role } from '../../policies/authorize';
import { workspaceCreator } from '../workspaces/workspace-creator';
import { userCreator } from './user-creator';

/**
 * The shell's `user create`: makes the account and puts it in a workspace (the named one, else the
 * oldest). With no workspace at all, the user becomes the owner of a new one.
 */
export async function adminUserCreator(
  db: Db,
  input: { email: string; password: string; name?: string; role: Role; approver: boolean; workspaceSlug?: string },
) {
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    const user = await userCreator(txDb, input);
    const [target] = input.workspaceSlug
      ? await tx.select().from(workspaces).where(eq(workspaces.slug, input.workspaceSlug)).limit(1)
      : await tx.select().from(workspaces).orderBy(asc(workspaces.createdAt)).limit(1);
    if (input.workspaceSlug && !target) throw notFound(`workspace "${input.workspaceSlug}"`);
    if (!target) {
      const ws = await workspaceCreator(txDb, { userId: user.id, name: 'My workspace', approver: true });
      return { user, workspace: { id: ws.id, slug: ws.slug }, role: 'owner' as Role, approver: true };
    }
    await tx.insert(memberships).values({ workspaceId: target.id, userId: user.id, role: input.role, approver: input.approver });
    return { user, workspace: { id: target.id, slug: target.slug }, role: input.role, approver: input.approver };
  });
}
