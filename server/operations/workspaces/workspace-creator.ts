import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { memberships, workspaces } from '../../../drizzle/schema';
import { conflict } from '../../errors';

export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return base || 'workspace';
}

/** Creates a workspace with its creator as owner. */
export async function workspaceCreator(db: Db, input: { userId: string; name: string; slug?: string; approver?: boolean }) {
  return db.transaction(async (tx) => {
    let slug = input.slug ?? slugify(input.name);
    const taken = await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, slug)).limit(1);
    if (taken.length) {
      if (input.slug) throw conflict(`workspace slug "${slug}" is taken`);
      slug = `${slug}-${randomBytes(3).toString('hex')}`;
    }
    const [workspace] = await tx.insert(workspaces).values({ name: input.name, slug }).returning();
    await tx
      .insert(memberships)
      .values({ workspaceId: workspace!.id, userId: input.userId, role: 'owner', approver: input.approver ?? true });
    return { ...workspace!, role: 'owner' as const, approver: input.approver ?? true };
  });
}
