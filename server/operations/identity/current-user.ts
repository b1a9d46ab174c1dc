import { eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { users } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { notFound } from '../../errors';
import { userIdOf } from '../../policies/authorize';
import { workspaceLister } from '../workspaces/workspace-lister';

export async function currentUser(db: Db, actor: Actor) {
  const userId = userIdOf(actor);
  const [user] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
  if (!user) throw notFound('user');
  return { user, workspaces: await workspaceLister(db, userId) };
}
