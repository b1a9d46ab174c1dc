import { randomBytes } from 'node:crypto';
import type { Db } from '../../drizzle/client';
import { memberships } from '../../drizzle/schema';
import type { Actor } from '../../server/auth/actor';
import { tokenCreator } from '../../server/operations/identity/token-creator';
import { userCreator } from '../../server/operations/identity/user-creator';
import { notebookCreator } from '../../server/operations/notebooks/notebook-creator';
import { workspaceCreator } from '../../server/operations/workspaces/workspace-creator';
import type { Role } from '../../server/policies/authorize';

// buildX(overrides) factories: real rows through the real operations, unique by default.

const unique = () => randomBytes(4).toString('hex');

export async function buildUser(db: Db, overrides: Partial<{ email: string; password: string; name: string }> = {}) {
  const password = overrides.password ?? `pw-${unique()}-secret`;
  const user = await userCreator(db, {
    email: overrides.email ?? `user-${unique()}@example.test`,
    password,
    name: overrides.name ?? 'Test User',
  });
  const actor: Actor = { kind: 'user', userId: user.id, via: 'session' };
  return { ...user, password, actor };
}

export type BuiltUser = Awaited<ReturnType<typeof buildUser>>;

export async function buildWorkspace(db: Db, overrides: Partial<{ name: string; owner: BuiltUser }> = {}) {
  const owner = overrides.owner ?? (await buildUser(db));
  const ws = await workspaceCreator(db, { userId: owner.id, name: overrides.name ?? `ws ${unique()}` });
  return { ...ws, owner };
}

export async function buildMember(db: Db, workspaceId: string, role: Role, overrides: Partial<{ approver: boolean }> = {}) {
  const user = await buildUser(db);
  await db.insert(memberships).values({ workspaceId, userId: user.id, role, approver: overrides.approver ?? false });
  return user;
}

export async function buildNotebook(db: Db, overrides: Partial<{ name: string; workspaceId: string; actor: Actor }> = {}) {
  let actor = overrides.actor;
  let workspaceId = overrides.workspaceId;
  if (!actor || !workspaceId) {
    const ws = await buildWorkspace(db);
    actor = { kind: 'user', userId: ws.owner.id, via: 'session' };
    workspaceId = ws.id;
  }
  return notebookCreator(db, actor, { name: overrides.name ?? `notebook ${unique()}`, workspaceId });
}

export async function buildApiToken(db: Db, userId: string) {
  return tokenCreator(db, { userId, name: `token ${unique()}` });
}
