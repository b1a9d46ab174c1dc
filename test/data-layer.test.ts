import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { migrateDatabase } from '../drizzle/client';
import { apiTokens, memberships, notebookUpdates, sessions, users } from '../drizzle/schema';
import { resolveActor, SESSION_COOKIE } from '../server/auth/credentials';
import { AppError } from '../server/errors';
import { sessionOpener } from '../server/operations/identity/session-opener';
import { jobTokenCreator } from '../server/operations/identity/job-tokens';
import { tokenRevoker } from '../server/operations/identity/token-creator';
import { userCreator } from '../server/operations/identity/user-creator';
import { firstOwnerSetup } from '../server/operations/identity/first-owner-setup';
import { notebookCreator } from '../server/operations/notebooks/notebook-creator';
import { notebookLister, notebookUpdater } from '../server/operations/notebooks/notebook-queries';
import { versionRecorder } from '../server/operations/notebooks/version-recorder';
import { memberRemover, memberUpdater } from '../server/operations/workspaces/members';
import { authorizeNotebook, authorizeWorkspace } from '../server/policies/authorize';
import { assertCredentialReaches } from '../server/policies/credential-scope';
import { cellsOf, notebookToData } from '../core/notebook/notebook-doc';
import { DB_KINDS, openTestDatabase, type TestDatabase } from './helpers/db';
import { buildMember, buildNotebook, buildUser, buildWorkspace } from './helpers/factories';

async function rejects(promise: Promise<unknown>, code: AppError['code']) {
  await assert.rejects(promise, (e: unknown) => e instanceof AppError && e.code === code);
}

for (const kind of DB_KINDS) {
  describe(`data layer on ${kind}`, () => {
    let t: TestDatabase;
    let skip: string | undefined;
    before(async () => {
      const opened = await openTestDatabase(kind);
      if ('skip' in opened) skip = opened.skip;
      else t = opened;
    });
    after(async () => t?.drop());
    const db = () => t.database.db;

    test('migrations are idempotent', async (c) => {
      if (skip) return c.skip(skip);
      await migrateDatabase(t.database);
      const [row] = await db()
        .select({ n: sql<number>`count(*)::int` })
        .from(users);
      assert.equal(typeof row!.n, 'number');
    });

    test('emails are unique regardless of case', async (c) => {
      if (skip) return c.skip(skip);
      await userCreator(db(), { email: 'Ada@Example.test', password: 'first-owner-pass' });
      await rejects(userCreator(db(), { email: 'ada@example.TEST', password: 'second-owner-pass' }), 'CONFLICT');
      await assert.rejects(db().insert(users).values({ email: 'ADA@example.test', passwordHash: 'x' }));
    });

    test('weak passwords are refused and nothing is stored', async (c) => {
      if (skip) return c.skip(skip);
      await rejects(userCreator(db(), { email: 'weak@example.test', password: 'short' }), 'INVALID_INPUT');
      assert.equal((await db().select().from(users).where(eq(users.email, 'weak@example.test'))).length, 0);
    });

    test('first-owner setup runs once, even when two race', async (c) => {
      if (skip) return c.skip(skip);
      const fresh = await openTestDatabase(kind);
      if ('skip' in fresh) return c.skip(fresh.skip);
      try {
        const attempts = await Promise.allSettled([
          firstOwnerSetup(fresh.database.db, { email: 'a@x.test', password: 'alpha-owner-pass', name: 'A', workspaceName: 'W' }),
          firstOwnerSetup(fresh.database.db, { email: 'b@x.test', password: 'bravo-owner-pass', name: 'B', workspaceName: 'W' }),
        ]);
        assert.equal(attempts.filter((a) => a.status === 'fulfilled').length, 1);
        const [n] = await fresh.database.db.select({ n: sql<number>`count(*)::int` }).from(users);
        assert.equal(n!.n, 1);
      } finally {
        await fresh.drop();
      }
    });

    test('a notebook is created with its first document state, atomically', async (c) => {
      if (skip) return c.skip(skip);
      const nb = await buildNotebook(db(), { name: 'Experiments' });
      const updates = await db().select().from(notebookUpdates).where(eq(notebookUpdates.notebookId, nb.id));
      assert.equal(updates.length, 1);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, updates[0]!.update);
      assert.equal(cellsOf(doc).length, 1);
      assert.equal(notebookToData(doc).cells[0]!.cell_type, 'code');
    });

    test('roles: viewers read, editors write, outsiders see nothing, approvals need the flag', async (c) => {
      if (skip) return c.skip(skip);
      const ws = await buildWorkspace(db());
      const viewer = await buildMember(db(), ws.id, 'viewer');
      const editor = await buildMember(db(), ws.id, 'editor');
      const approver = await buildMember(db(), ws.id, 'editor', { approver: true });
      const outsider = await buildUser(db());
      await rejects(notebookCreator(db(), viewer.actor, { name: 'nope', workspaceId: ws.id }), 'FORBIDDEN');
      const nb = await notebookCreator(db(), editor.actor, { name: 'ok', workspaceId: ws.id });
      await authorizeNotebook(db(), viewer.actor, nb.id, 'notebook.read');
      await rejects(authorizeNotebook(db(), viewer.actor, nb.id, 'notebook.edit'), 'FORBIDDEN');
      await rejects(authorizeNotebook(db(), outsider.actor, nb.id, 'notebook.read'), 'NOT_FOUND');
      await rejects(authorizeWorkspace(db(), editor.actor, ws.id, 'model.approve'), 'FORBIDDEN');
      await authorizeWorkspace(db(), approver.actor, ws.id, 'model.approve');
      assert.deepEqual(
        (await notebookLister(db(), outsider.actor, { trashed: false })).map((n) => n.id),
        [],
      );
    });

    test('a workspace always keeps an owner', async (c) => {
      if (skip) return c.skip(skip);
      const ws = await buildWorkspace(db());
      await rejects(memberRemover(db(), ws.owner.actor, { workspaceId: ws.id, userId: ws.owner.id }), 'CONFLICT');
      await rejects(memberUpdater(db(), ws.owner.actor, { workspaceId: ws.id, userId: ws.owner.id, role: 'editor' }), 'CONFLICT');
      const [m] = await db().select().from(memberships).where(eq(memberships.userId, ws.owner.id));
      assert.equal(m!.role, 'owner');
    });

    test('trash and restore', async (c) => {
      if (skip) return c.skip(skip);
      const ws = await buildWorkspace(db());
      const nb = await buildNotebook(db(), { workspaceId: ws.id, actor: ws.owner.actor, name: 'to trash' });
      await notebookUpdater(db(), ws.owner.actor, { notebookId: nb.id, trashed: true });
      assert.equal((await notebookLister(db(), ws.owner.actor, { workspaceId: ws.id, trashed: false })).length, 0);
      assert.equal((await notebookLister(db(), ws.owner.actor, { workspaceId: ws.id, trashed: true })).length, 1);
      await notebookUpdater(db(), ws.owner.actor, { notebookId: nb.id, trashed: false });
      assert.equal((await notebookLister(db(), ws.owner.actor, { workspaceId: ws.id, q: 'TRASH', trashed: false })).length, 1);
    });

    test('execution versions are content-addressed; named versions always new', async (c) => {
      if (skip) return c.skip(skip);
      const nb = await buildNotebook(db());
      const data = { nbformat: 4 as const, nbformat_minor: 5, metadata: {}, cells: [] };
      const a = await versionRecorder(db(), { notebookId: nb.id, data, kind: 'execution', userId: null });
      const b = await versionRecorder(db(), { notebookId: nb.id, data, kind: 'execution', userId: null });
      assert.equal(a.id, b.id);
      const n1 = await versionRecorder(db(), { notebookId: nb.id, data, kind: 'named', userId: null, name: 'v1' });
      const n2 = await versionRecorder(db(), { notebookId: nb.id, data, kind: 'named', userId: null, name: 'v1 again' });
      assert.notEqual(n1.id, n2.id);
      assert.equal(n1.contentHash, a.contentHash);
    });

    test('credentials: wrong password, expired session, revoked token, job token scope', async (c) => {
      if (skip) return c.skip(skip);
      const user = await buildUser(db(), { password: 'right-password' });
      await rejects(sessionOpener(db(), { email: user.email, password: 'wrong-password', days: 1 }), 'UNAUTHENTICATED');
      await rejects(sessionOpener(db(), { email: 'nobody@example.test', password: 'whatever1', days: 1 }), 'UNAUTHENTICATED');
      const s = await sessionOpener(db(), { email: user.email.toUpperCase(), password: 'right-password', days: 1 });
      const cookie = `${SESSION_COOKIE}=${s.secret}`;
      assert.equal((await resolveActor(db(), { cookie })).kind, 'user');
      await db()
        .update(sessions)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(sessions.userId, user.id));
      assert.equal((await resolveActor(db(), { cookie })).kind, 'anonymous');

      const { tokenCreator } = await import('../server/operations/identity/token-creator');
      const tok = await tokenCreator(db(), { userId: user.id, name: 't' });
      assert.deepEqual(await resolveActor(db(), { authorization: `Bearer ${tok.token}` }), {
        kind: 'user',
        userId: user.id,
        via: 'api-token',
      });
      const [stored] = await db().select().from(apiTokens).where(eq(apiTokens.id, tok.id));
      assert.notEqual(stored!.tokenHash, tok.token, 'only the hash is stored');
      await tokenRevoker(db(), { userId: user.id, tokenId: tok.id });
      assert.equal((await resolveActor(db(), { authorization: `Bearer ${tok.token}` })).kind, 'anonymous');
      assert.equal((await resolveActor(db(), { authorization: 'Bearer fry_made-up' })).kind, 'anonymous');

      const ws = await buildWorkspace(db(), { owner: user });
      const nb1 = await buildNotebook(db(), { workspaceId: ws.id, actor: user.actor });
      const nb2 = await buildNotebook(db(), { workspaceId: ws.id, actor: user.actor });
      const executionId = randomUUID();
      const job = await resolveActor(db(), {
        authorization: `Bearer ${await jobTokenCreator(db(), { userId: user.id, scope: { notebookId: nb1.id, executionIds: [executionId] }, ttlMs: 60_000 })}`,
      });
      assert.equal(job.kind, 'job');
      assert.deepEqual(job.kind === 'job' && job.executionIds, [executionId], 'the scope comes from the token row');
      assert.throws(
        () => assertCredentialReaches(job, '/api/tokens'),
        (e: unknown) => e instanceof AppError && e.code === 'FORBIDDEN',
      );
      assert.throws(() => assertCredentialReaches(job, '/api/kernelx/runs'), AppError);
      assertCredentialReaches(job, '/api/kernel/runs');
      await authorizeNotebook(db(), job, nb1.id, 'run.log');
      await rejects(authorizeNotebook(db(), job, nb2.id, 'run.log'), 'FORBIDDEN');
      await rejects(authorizeNotebook(db(), job, nb1.id, 'notebook.edit'), 'FORBIDDEN');
    });
  });
}
