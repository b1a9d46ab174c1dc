import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { closeCodes } from '../core/contracts/close-codes';
import { connectCollab, eventually, type CollabClient } from './helpers/collab-client';
import { addUser, ownerSession } from './helpers/scenario';
import { apiClient, BACKENDS, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';

// Issue 12, the web part: sign-in limits and lockout, password rules, CSRF (body types and Origin),
// the collaboration socket's door (Origin, no token in the URL), forced presence names, the notebook
// schema's root types only, security headers, webhook targets and webhook secrets at rest.

const LIMITS = { FERRY_SIGNIN_MAX_FAILURES: '5', FERRY_SIGNIN_IP_MAX_FAILURES: '12', FERRY_EMBEDDED_WORKERS: '0' };

for (const backend of BACKENDS) {
  describe(`web hardening (${backend.name})`, () => {
    let server: ServerProcess;
    let skip: string | null = null;
    let owner: Awaited<ReturnType<typeof ownerSession>>;
    let notebookId: string;
    const clients: CollabClient[] = [];
    const wsUrl = () => `${server.url.replace(/^http/, 'ws')}/yjs/${notebookId}`;
    const signIn = (email: string, password: string) => apiClient(server.url).post('/api/auth/sign-in', { email, password });
    const adminKey = () => (JSON.parse(readFileSync(join(server.dataDir, 'server.json'), 'utf8')) as { adminKey: string }).adminKey;

    before(async () => {
      skip = await serverSkipReason(backend);
      if (skip) return;
      server = await startServerProcess({ db: backend.db, nats: backend.nats, env: LIMITS });
    });
    after(async () => {
      for (const c of clients) c.destroy();
      await server?.dispose();
    });

    test('passwords: short or common ones are refused with 400 at setup and user create, and nothing is stored', async (c) => {
      if (skip) return c.skip(skip);
      const anon = apiClient(server.url);
      for (const password of ['12345678', '123456789', 'password1234', 'qwertyuiop']) {
        const setup = await anon.post('/api/setup', { email: 'owner@example.test', password });
        assert.equal(setup.status, 400, password);
        assert.match(setup.json.error.message, /at least 10 characters|too common/);
      }
      assert.equal((await anon.get('/api/setup')).json.needsSetup, true, 'no owner was created');
      owner = await ownerSession(server);
      notebookId = (await owner.api.post('/api/notebooks', { name: 'Shared' })).json.id as string;
      const weak = await apiClient(server.url).post(
        '/api/admin/users',
        { email: 'weak@example.test', password: 'football2024', role: 'editor' },
        { 'x-ferry-admin-key': adminKey() },
      );
      assert.equal(weak.status, 400);
      assert.match(weak.json.error.message, /too common/);
      assert.equal((await signIn('weak@example.test', 'football2024')).status, 401, 'the weak account does not exist');
    });

    test('brute force on one account: 401s, then 429 with Retry-After, and the right password is refused while locked', async (c) => {
      if (skip) return c.skip(skip);
      await addUser(server, { email: 'target@example.test', role: 'editor' });
      for (let i = 0; i < 4; i++) assert.equal((await signIn('target@example.test', `wrong-guess-${i}`)).status, 401);
      const fifth = await signIn('target@example.test', 'wrong-guess-4');
      assert.equal(fifth.status, 429, 'the failure that reaches the limit locks the account');
      const locked = await signIn('target@example.test', 'member-password');
      assert.equal(locked.status, 429, 'the right password during the lockout is refused');
      assert.match(locked.json.error.message, /locked for 15 more minutes/);
      const retryAfter = Number(locked.headers.get('retry-after'));
      assert.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
      assert.equal(locked.headers.get('set-cookie'), null, 'no session');
      // Another account is not affected.
      assert.equal((await signIn('owner@example.test', 'owner-password')).status, 200);

      if (backend.db === 'postgres') {
        // The lock is in the database: a second instance on it refuses the same account.
        const second = await startServerProcess({ db: 'postgres', env: { ...LIMITS, DATABASE_URL: server.env.DATABASE_URL! } });
        try {
          const there = await apiClient(second.url).post('/api/auth/sign-in', {
            email: 'target@example.test',
            password: 'member-password',
          });
          assert.equal(there.status, 429);
        } finally {
          await second.stop();
        }
      }
    });

    test('CSRF: text/plain and form bodies get 415, a foreign Origin with the cookie 403; same-origin JSON and tokens work', async (c) => {
      if (skip) return c.skip(skip);
      const count = async () => (await owner.api.get('/api/notebooks')).json.notebooks.length as number;
      const before = await count();
      const body = JSON.stringify({ name: 'Forged' });
      const textPlain = await owner.api.raw('POST', '/api/notebooks', body, { 'content-type': 'text/plain' });
      assert.equal(textPlain.status, 415);
      assert.match(textPlain.json.error.message, /application\/json/);
      const form = await owner.api.raw('POST', '/api/notebooks', 'name=Forged', { 'content-type': 'application/x-www-form-urlencoded' });
      assert.equal(form.status, 415);
      const foreign = await owner.api.raw('POST', '/api/notebooks', body, {
        'content-type': 'application/json',
        origin: server.url.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) + 1}`),
      });
      assert.equal(foreign.status, 403);
      assert.match(foreign.json.error.message, /another origin/);
      const sameSite = await owner.api.raw('POST', '/api/notebooks', body, {
        'content-type': 'application/json',
        'sec-fetch-site': 'same-site',
      });
      assert.equal(sameSite.status, 403);
      const signOut = await owner.api.raw('POST', '/api/auth/sign-out', undefined, { origin: 'http://evil.example' });
      assert.equal(signOut.status, 403, 'bodiless posts are checked too');
      assert.equal(await count(), before, 'nothing was created');

      const same = await owner.api.raw('POST', '/api/notebooks', body, {
        'content-type': 'application/json',
        origin: server.url,
        'sec-fetch-site': 'same-origin',
      });
      assert.equal(same.status, 201);
      // Bearer-token clients carry no cookie, so an Origin they send does not matter.
      const script = apiClient(server.url, { token: owner.token });
      assert.equal((await script.post('/api/notebooks', { name: 'From a script' }, { origin: 'http://elsewhere.example' })).status, 201);
    });

    test('websocket: a foreign Origin is refused, a token in the URL is not accepted, the cookie from our origin is', async (c) => {
      if (skip) return c.skip(skip);
      const statusOf = (url: string, headers: Record<string, string>) =>
        new Promise<{ status: number; body: string }>((resolve) => {
          const ws = new WebSocket(url, { headers });
          ws.on('unexpected-response', (_req, res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          ws.on('open', () => {
            ws.close();
            resolve({ status: 101, body: '' });
          });
          ws.on('error', () => undefined);
        });
      const cookie = owner.api.cookie;
      const foreign = await statusOf(wsUrl(), { cookie, origin: 'http://127.0.0.1:1' });
      assert.equal(foreign.status, 403);
      assert.match(foreign.body, /another origin/);
      const inUrl = await statusOf(`${wsUrl()}?token=${owner.token}`, {});
      assert.equal(inUrl.status, 401);
      assert.match(inUrl.body, /Authorization: Bearer/);
      assert.equal((await statusOf(wsUrl(), { cookie, origin: server.url })).status, 101);
      assert.equal((await statusOf(wsUrl(), { authorization: `Bearer ${owner.token}` })).status, 101);
    });

    test("presence: a viewer who claims to be someone else shows under their own account's name", async (c) => {
      if (skip) return c.skip(skip);
      const viewer = await addUser(server, { email: 'viewer@example.test', role: 'viewer' });
      const watcher = connectCollab(server.url, notebookId, owner.token);
      const impostor = connectCollab(server.url, notebookId, viewer.token);
      clients.push(watcher, impostor);
      await Promise.all([watcher.synced(), impostor.synced()]);
      impostor.provider.awareness.setLocalStateField('user', { name: 'alice (owner)', color: '#000000', id: owner.userId });
      const seen = () =>
        watcher.provider.awareness.getStates().get(impostor.provider.awareness.clientID) as
          { user?: { name: string; id: string } } | undefined;
      await eventually(() => seen()?.user !== undefined, 10_000, "the viewer's presence");
      await eventually(() => seen()?.user?.name === 'viewer@example.test', 10_000, 'the forced name');
      assert.equal(seen()!.user!.id, viewer.userId);
    });

    test('a change that creates a root type outside the notebook schema is refused with 4422 and nothing is stored', async (c) => {
      if (skip) return c.skip(skip);
      const editor = connectCollab(server.url, notebookId, owner.token);
      clients.push(editor);
      await editor.synced();
      editor.doc.getMap('stash').set('blob', 'x'.repeat(100_000));
      await eventually(() => editor.closes.some((cl) => cl.code === closeCodes.schemaViolation.code), 10_000, 'close 4422');
      editor.provider.shouldConnect = false;
      editor.provider.disconnect();
      const fresh = connectCollab(server.url, notebookId, owner.token);
      clients.push(fresh);
      await fresh.synced();
      assert.equal(fresh.doc.share.has('stash'), false, 'the foreign root type never reached the stored document');
      assert.equal((await owner.api.get(`/api/notebooks/${notebookId}/export?format=ipynb`)).status, 200);
      // An ordinary edit still goes through.
      const cells = fresh.doc.getArray<Y.Map<unknown>>('cells');
      (cells.get(0).get('source') as Y.Text).insert(0, '// ok\n');
      const check = connectCollab(server.url, notebookId, owner.token);
      clients.push(check);
      await check.synced();
      await eventually(
        () =>
          (check.doc.getArray<Y.Map<unknown>>('cells').get(0)?.get('source') as Y.Text | undefined)?.toString().startsWith('// ok') ??
          false,
        10_000,
        'the ordinary edit',
      );
    });

    test('security headers on a page, an API answer and an error answer; the page scripts carry the nonce', async (c) => {
      if (skip) return c.skip(skip);
      const page = await fetch(`${server.url}/sign-in`);
      const api = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${owner.token}` } });
      const error = await fetch(`${server.url}/api/notebooks/not-a-uuid`, { headers: { authorization: `Bearer ${owner.token}` } });
      assert.equal(page.status, 200);
      assert.equal(api.status, 200);
      assert.equal(error.status, 400);
      for (const res of [page, api, error]) {
        const csp = res.headers.get('content-security-policy') ?? '';
        assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
        assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
        assert.match(csp, /frame-ancestors 'none'/);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
        assert.equal(res.headers.get('strict-transport-security'), null, 'plain http gets no HSTS');
      }
      const nonce = page.headers.get('content-security-policy')!.match(/'nonce-([^']+)'/)![1]!;
      const html = await page.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      assert.ok(scripts.length > 0);
      for (const tag of scripts) assert.ok(tag.includes(`nonce="${nonce}"`), `script without the nonce: ${tag.slice(0, 120)}`);
      const again = await fetch(`${server.url}/sign-in`);
      assert.notEqual(
        again.headers.get('content-security-policy'),
        page.headers.get('content-security-policy'),
        'a fresh nonce per response',
      );
      const viaProxy = await fetch(`${server.url}/api/auth/me`, { headers: { 'x-forwarded-proto': 'https' } });
      assert.match(viaProxy.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
    });

    test('a spray of wrong passwords over many accounts from one address gets 429 from the per-address limit', async (c) => {
      if (skip) return c.skip(skip);
      // Six failures so far from this address (five on the target account, one in the password test).
      let status = 0;
      let tries = 0;
      let last: Awaited<ReturnType<typeof signIn>> | undefined;
      while (status !== 429 && tries < 20) {
        last = await signIn(`nobody-${tries}@example.test`, 'wrong-guess-xyz');
        status = last.status;
        tries++;
      }
      assert.equal(status, 429);
      assert.ok(tries <= 12, `limited after ${tries} more tries`);
      assert.match(last!.json.error.message, /from this address/);
      assert.ok(Number(last!.headers.get('retry-after')) > 0);
    });
    test('webhooks: loopback, metadata, IPv6 loopback and decimal-encoded targets get 400; secrets are stored encrypted', async (c) => {
      if (skip) return c.skip(skip);
      const ws = owner.workspaceId;
      for (const url of [
        'http://127.0.0.1:5432',
        'http://169.254.169.254/latest/meta-data/',
        'http://[::1]/',
        'http://2130706433/',
        'http://0x7f.0.0.1/',
        'http://[::ffff:127.0.0.1]/',
        'http://10.1.2.3/',
        'http://localhost:3000/',
      ]) {
        const res = await owner.api.post(`/api/workspaces/${ws}/webhooks`, { url });
        assert.equal(res.status, 400, url);
        assert.match(res.json.error.message, /webhook target refused/);
      }
      assert.equal((await owner.api.get(`/api/workspaces/${ws}/webhooks`)).json.webhooks.length, 0, 'none was stored');
      const hook = await owner.api.post(`/api/workspaces/${ws}/webhooks`, { url: 'https://hooks.example.com/ferry' });
      assert.equal(hook.status, 201);
      const secret = hook.json.secret as string;
      const stored = await readWebhookSecret(server, backend.db, hook.json.webhook.id as string);
      assert.ok(stored.startsWith('enc1:'), 'encrypted');
      assert.ok(!stored.includes(secret), 'the secret is not stored in clear');
      // (On PGlite the server is stopped now, to read its database: this test runs last.)
    });
  });
}

/** The stored secret column of a webhook: live on PostgreSQL; on PGlite with the server stopped, then restarted. */
async function readWebhookSecret(server: ServerProcess, db: 'pglite' | 'postgres', id: string): Promise<string> {
  if (db === 'postgres') {
    const client = new pg.Client({ connectionString: server.env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<{ secret: string }>('select secret from webhooks where id = $1', [id])).rows[0]!.secret;
    } finally {
      await client.end();
    }
  }
  await server.stop();
  const lite = new PGlite(join(server.dataDir, 'db'));
  try {
    return (await lite.query<{ secret: string }>('select secret from webhooks where id = $1', [id])).rows[0]!.secret;
  } finally {
    await lite.close();
  }
}
