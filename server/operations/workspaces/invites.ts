import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { memberships, users, workspaceInvites, workspaces } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { newSecret, sha256Hex } from '../../auth/secrets';
import { conflict, forbidden, notFound } from '../../errors';
import { authorizeWorkspace, userIdOf, type Role } from '../../policies/authorize';
import { userByEmail, userCreator } from '../identity/user-creator';

// Team on-boarding without a shell: an owner invites by email, the invitee opens the one-time link,
// names themself, sets a password and joins with the invited role. Only the link's hash is stored.

export const INVITE_DAYS = 7;

const pending = and(isNull(workspaceInvites.acceptedAt), isNull(workspaceInvites.revokedAt));

/** The link an invitee opens; the secret is shown once to the owner (and mailed when SMTP is set). */
export function inviteUrl(baseUrl: string, secret: string): string {
  return `${baseUrl.replace(/\/$/, '')}/invite/${encodeURIComponent(secret)}`;
}

/** Creates an invite (owners only); refuses someone who is already a member or already has a pending invite. */
export async function inviteCreator(db: Db, actor: Actor, input: { workspaceId: string; email: string; role: Role; approver: boolean }) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'workspace.manage-members');
  const email = input.email.trim().toLowerCase();
  const existing = await userByEmail(db, email);
  if (existing) {
    const [member] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, input.workspaceId), eq(memberships.userId, existing.id)));
    if (member) throw conflict(`${email} is already a member (${member.role})`);
  }
  const [open] = await db
    .select({ id: workspaceInvites.id })
    .from(workspaceInvites)
    .where(
      and(
        eq(workspaceInvites.workspaceId, input.workspaceId),
        sql`lower(${workspaceInvites.email}) = ${email}`,
        pending,
        gt(workspaceInvites.expiresAt, new Date()),
      ),
    );
  if (open) throw conflict(`${email} already has a pending invite: revoke it to send a new one`);
  const { secret, hash } = newSecret('finv');
  const [invite] = await db
    .insert(workspaceInvites)
    .values({
      workspaceId: input.workspaceId,
      email,
      role: input.role,
      approver: input.approver,
      tokenHash: hash,
      createdBy: userIdOf(actor),
      expiresAt: new Date(Date.now() + INVITE_DAYS * 86_400_000),
    })
    .returning();
  const [about] = await db
    .select({ workspaceName: workspaces.name, inviterName: users.name, inviterEmail: users.email })
    .from(workspaces)
    .leftJoin(users, eq(users.id, userIdOf(actor)))
    .where(eq(workspaces.id, input.workspaceId));
  return {
    invite: presentInvite(invite!),
    secret,
    workspaceName: about?.workspaceName ?? '',
    invitedBy: about?.inviterName || about?.inviterEmail || 'A workspace owner',
  };
}

/** An invite as owners see it: never its hash. */
export function presentInvite(i: typeof workspaceInvites.$inferSelect) {
  const status = i.revokedAt ? 'revoked' : i.acceptedAt ? 'accepted' : i.expiresAt.getTime() < Date.now() ? 'expired' : 'pending';
  return { id: i.id, email: i.email, role: i.role, approver: i.approver, createdAt: i.createdAt, expiresAt: i.expiresAt, status };
}

/** The workspace's invites, newest first (owners only). */
export async function inviteLister(db: Db, actor: Actor, workspaceId: string) {
  await authorizeWorkspace(db, actor, workspaceId, 'workspace.manage-members');
  const rows = await db
    .select()
    .from(workspaceInvites)
    .where(eq(workspaceInvites.workspaceId, workspaceId))
    .orderBy(desc(workspaceInvites.createdAt))
    .limit(200);
  return rows.map(presentInvite);
}

/** Revokes a pending invite: its link stops working at once. */
export async function inviteRevoker(db: Db, actor: Actor, input: { workspaceId: string; inviteId: string }) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'workspace.manage-members');
  const [row] = await db
    .update(workspaceInvites)
    .set({ revokedAt: new Date() })
    .where(and(eq(workspaceInvites.id, input.inviteId), eq(workspaceInvites.workspaceId, input.workspaceId), pending))
    .returning();
  if (!row) throw notFound('pending invite');
  return presentInvite(row);
}

async function openInvite(db: Db, secret: string) {
  const [row] = await db
    .select({ invite: workspaceInvites, workspaceName: workspaces.name, slug: workspaces.slug })
    .from(workspaceInvites)
    .innerJoin(workspaces, eq(workspaces.id, workspaceInvites.workspaceId))
    .where(eq(workspaceInvites.tokenHash, sha256Hex(secret)));
  // One answer for unknown, used, revoked and expired links: a link says nothing about others.
  if (!row || row.invite.acceptedAt || row.invite.revokedAt || row.invite.expiresAt.getTime() < Date.now())
    throw notFound('invite (the link is unknown, already used, revoked or expired: ask for a new one)');
  return row;
}

/** What the invite page shows before accepting: the workspace, the email and the role. */
export async function invitePreviewer(db: Db, secret: string) {
  const row = await openInvite(db, secret);
  return { workspace: { name: row.workspaceName, slug: row.slug }, email: row.invite.email, role: row.invite.role };
}

/**
 * Accepts an invite: creates the account for the invited email and its membership, once. An email
 * that already has an account joins by signing in first (the password is theirs, not the link's).
 */
export async function inviteAccepter(db: Db, actor: Actor, secret: string, input: { name: string; password: string }) {
  const row = await openInvite(db, secret);
  const { invite } = row;
  const existing = await userByEmail(db, invite.email);
  if (existing && !(actor.kind === 'user' && actor.userId === existing.id))
    throw conflict(`${invite.email} already has an account: sign in as ${invite.email}, then open the link again`);
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    // Taken first, so two tabs accepting the same link make one account.
    const [taken] = await tx
      .update(workspaceInvites)
      .set({ acceptedAt: new Date() })
      .where(and(eq(workspaceInvites.id, invite.id), pending))
      .returning();
    if (!taken) throw notFound('invite (already used)');
    const user = existing ?? (await userCreator(txDb, { email: invite.email, password: input.password, name: input.name }));
    await tx
      .insert(memberships)
      .values({ workspaceId: invite.workspaceId, userId: user.id, role: invite.role, approver: invite.approver })
      .onConflictDoNothing();
    await tx.update(workspaceInvites).set({ acceptedBy: user.id }).where(eq(workspaceInvites.id, invite.id));
    return {
      user: { id: user.id, email: user.email, name: user.name },
      workspace: { slug: row.slug, name: row.workspaceName },
      role: invite.role,
    };
  });
}

/** Sets (or turns off with null) a workspace's open sign-up domain and the role it gives. */
export async function signupSettingsUpdater(
  db: Db,
  actor: Actor,
  input: { workspaceId: string; domain: string | null; role: 'editor' | 'viewer' },
) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'workspace.manage-members');
  await db.update(workspaces).set({ signupDomain: input.domain, signupRole: input.role }).where(eq(workspaces.id, input.workspaceId));
  return { domain: input.domain, role: input.role };
}

/** Open sign-up: an email at the workspace's sign-up domain makes an account and joins with its sign-up role. */
export async function openSignUp(db: Db, input: { workspace: string; email: string; name: string; password: string }) {
  const [ws] = await db.select().from(workspaces).where(eq(workspaces.slug, input.workspace));
  if (!ws) throw notFound('workspace');
  const domain = input.email.split('@')[1]?.toLowerCase();
  if (!ws.signupDomain) throw forbidden('this workspace is invite-only: ask an owner for an invite');
  if (domain !== ws.signupDomain) throw forbidden(`only ${ws.signupDomain} addresses may sign up to this workspace`);
  return db.transaction(async (tx) => {
    const user = await userCreator(tx as unknown as Db, { email: input.email, password: input.password, name: input.name });
    const role = ws.signupRole === 'editor' ? 'editor' : 'viewer';
    await tx.insert(memberships).values({ workspaceId: ws.id, userId: user.id, role, approver: false });
    return { user: { id: user.id, email: user.email, name: user.name }, workspace: { slug: ws.slug, name: ws.name }, role };
  });
}
