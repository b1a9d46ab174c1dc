import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addUser, ownerSession } from './helpers/scenario';
import { apiClient, BACKENDS, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink';

// Team on-boarding without a shell: an owner invites by email, the invitee opens the one-time link,
// sets a name and password and works with the invited role; invites are listed and revoked; open
// sign-up by email domain is off until an owner turns it on. The invite mail goes through SMTP.

type Owner = Awaited<ReturnType<typeof ownerSession>>;

for (const config of BACKENDS) {
  describe(`invites on ${config.name}`, () => {
    let server: ServerProcess;
    let owner: Owner;
    let smtp: SmtpSink;
    let skip: string | null = null;
    before(async () => {
      skip = await serverSkipReason(config);
      if (skip) return;
      smtp = await startSmtpSink();
      server = await startServerProcess({ db: config.db, nats: config.nats, env: { FERRY_SMTP_URL: smtp.url } });
      owner = await ownerSession(server);
    });
    after(async () => {
      await server?.dispose();
      await smtp?.close();
    });

    test('invite link → the new user signs up and edits as editor; the link works once; revoked links and wrong callers are refused', async (c) => {
      if (skip) return c.skip(skip);
      const path = `/api/workspaces/${owner.workspaceId}/invites`;
      const made = await owner.api.post(path, { email: 'New.Person@Example.test', role: 'editor' });
      assert.equal(made.status, 201, JSON.stringify(made.json));
      assert.equal(made.json.invite.email, 'new.person@example.test');
      assert.equal(made.json.mail, 'sent');
      const url = new URL(made.json.url as string);
      assert.match(url.pathname, /^\/invite\/finv_/);
      const token = decodeURIComponent(url.pathname.split('/')[2]!);
      assert.equal(smtp.messages.length, 1);
      assert.deepEqual(smtp.messages[0]!.to, ['<new.person@example.test>']);
      assert.ok(smtp.messages[0]!.data.replace(/=\r\n/g, '').includes(url.pathname), 'the mail carries the link');
      assert.equal(JSON.stringify((await owner.api.get(path)).json).includes(token), false, 'the list never shows the secret');
      assert.equal((await owner.api.post(path, { email: 'new.person@example.test', role: 'viewer' })).status, 409, 'one pending invite');

      const guest = apiClient(server.url);
      const preview = await guest.get(`/api/invites/${encodeURIComponent(token)}`);
      assert.equal(preview.status, 200);
      assert.deepEqual(preview.json, { workspace: { name: 'ML team', slug: 'ml-team' }, email: 'new.person@example.test', role: 'editor' });
      const weak = await guest.post(`/api/invites/${encodeURIComponent(token)}/accept`, { name: 'New', password: 'password123' });
      assert.equal(weak.status, 400, 'a common password is refused');
      assert.equal((await guest.get(`/api/invites/${encodeURIComponent(token)}`)).status, 200, 'and the invite is still usable');
      const joined = await guest.post(`/api/invites/${encodeURIComponent(token)}/accept`, {
        name: 'New Person',
        password: 'a long unusual passphrase',
      });
      assert.equal(joined.status, 201, JSON.stringify(joined.json));
      assert.equal(joined.json.role, 'editor');
      assert.ok(guest.cookie, 'signed in');
      const me = (await guest.get('/api/auth/me')).json;
      assert.equal(me.user.name, 'New Person');
      assert.equal(me.workspaces[0].role, 'editor');
      const notebook = await guest.post('/api/notebooks', { workspaceId: owner.workspaceId, name: 'by the invitee' });
      assert.equal(notebook.status, 201, 'edits as editor');

      const again = apiClient(server.url);
      assert.equal(
        (await again.post(`/api/invites/${encodeURIComponent(token)}/accept`, { name: 'X', password: 'another long passphrase' })).status,
        404,
        'once',
      );
      assert.equal((await owner.api.post(path, { email: 'new.person@example.test', role: 'viewer' })).status, 409, 'already a member');

      const second = (await owner.api.post(path, { email: 'later@example.test', role: 'viewer' })).json;
      const listed = (await owner.api.get(path)).json.invites as Array<{ id: string; status: string }>;
      assert.equal(listed.find((i) => i.id === second.invite.id)!.status, 'pending');
      assert.equal(listed.find((i) => i.id === made.json.invite.id)!.status, 'accepted');
      assert.equal((await owner.api.delete(`${path}/${second.invite.id}`)).status, 200);
      const secondToken = decodeURIComponent(new URL(second.url).pathname.split('/')[2]!);
      assert.equal((await again.get(`/api/invites/${encodeURIComponent(secondToken)}`)).status, 404, 'revoked');

      const editor = await addUser(server, { email: `ed-${config.db}@example.test`, role: 'editor' });
      assert.equal((await editor.api.post(path, { email: 'x@example.test', role: 'owner' })).status, 403, 'only owners invite');
      assert.equal((await guest.get(`/api/invites/not-a-real-invite-token`)).status, 404);
    });

    test('open sign-up is off by default, then allows only the workspace’s domain with its role', async (c) => {
      if (skip) return c.skip(skip);
      const visitor = apiClient(server.url);
      const body = { workspace: 'ml-team', email: `a-${config.db}@corp.example`, name: 'A', password: 'a long unusual passphrase' };
      const closed = await visitor.post('/api/signup', body);
      assert.equal(closed.status, 403);
      assert.match(closed.json.error.message, /invite-only/);
      assert.equal(
        (await owner.api.raw('PUT', `/api/workspaces/${owner.workspaceId}/signup`, { domain: 'corp.example', role: 'editor' })).status,
        200,
      );
      const other = await visitor.post('/api/signup', { ...body, email: 'b@elsewhere.example' });
      assert.equal(other.status, 403);
      assert.match(other.json.error.message, /only corp\.example addresses/);
      const ok = await visitor.post('/api/signup', body);
      assert.equal(ok.status, 201, JSON.stringify(ok.json));
      assert.equal(ok.json.role, 'editor');
      assert.equal((await visitor.get('/api/auth/me')).json.workspaces[0].slug, 'ml-team');
      assert.equal(
        (await owner.api.raw('PUT', `/api/workspaces/${owner.workspaceId}/signup`, { domain: null })).status,
        200,
        'and off again',
      );
      assert.equal((await apiClient(server.url).post('/api/signup', { ...body, email: `c-${config.db}@corp.example` })).status, 403);
    });
  });
}
