import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { memberships, workspaces } from '../../../drizzle/schema';

export async function workspaceLister(db: Db, userId: string) {
  return db
    .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name, role: memberships.role, approver: memberships.approver })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.name));
}
