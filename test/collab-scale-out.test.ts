import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as Y from 'yjs';
import { CELL_KEYS } from '../core/contracts/notebook-schema';
import { cellsOf, cellSource } from '../core/notebook/notebook-doc';
import { connectCollab, eventually, type CollabClient } from './helpers/collab-client';
import { closeCodes } from '../core/contracts/close-codes';
import { addUser, ownerSession } from './helpers/scenario';
import { serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';

// Two server instances on one PostgreSQL and one NATS, as behind a load balancer: clients on either
// edit the same notebook live, see each other's presence, and what they wrote is stored once.

const source = (c: CollabClient) => {
  const cell = cellsOf(c.doc).get(0);
  return cell ? cellSource(cell) : '';
};
const text = (c: CollabClient) => cellsOf(c.doc).get(0).get(CELL_KEYS.source) as Y.Text;

describe('collaboration across two server instances (PostgreSQL + NATS)', () => {
  let one: ServerProcess;
  let two: ServerProcess;
  let skip: string | null = null;
  const clients: CollabClient[] = [];
  before(async () => {
    skip = await serverSkipReason({ db: 'postgres', nats: true });
    if (skip) return;
    one = await startServerProcess({ db: 'postgres', nats: true, env: { FERRY_EMBEDDED_WORKERS: '0' } });
    two = await startServerProcess({
      db: 'postgres',
      nats: true,
      env: { FERRY_EMBEDDED_WORKERS: '0', DATABASE_URL: one.env.DATABASE_URL! },
    });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await two?.dispose();
    await one?.dispose();
  });

  test('edits and presence cross instances at once; a fresh client on either reads the same document', async (c) => {
    if (skip) return c.skip(skip);
    const owner = await ownerSession(one);
    const notebookId = (await owner.api.post('/api/notebooks', { workspaceId: owner.workspaceId, name: 'scaled' })).json.id as string;
    const open = (server: ServerProcess) => {
      const client = connectCollab(server.url, notebookId, owner.token);
      clients.push(client);
      return client;
    };
    const a = open(one);
    const b = open(two);
    await Promise.all([a.synced(), b.synced()]);

    text(a).insert(0, 'from-one ');
    await eventually(() => source(b) === 'from-one ', 10_000, 'instance two to relay instance one’s edit');
    text(b).insert(text(b).length, 'from-two');
    await eventually(() => source(a) === 'from-one from-two', 10_000, 'instance one to relay instance two’s edit');

    // Both type at once, 50 characters each.
    for (let i = 0; i < 50; i++) {
      text(a).insert(0, 'a');
      text(b).insert(text(b).length, 'b');
    }
    await eventually(() => source(a) === source(b) && source(a).length === 'from-one from-two'.length + 100, 15_000, 'convergence');

    // The server writes the account's own name over whatever the client claims, on every instance.
    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#f00' });
    const aId = a.provider.awareness.clientID;
    const presenceOfA = () => b.provider.awareness.getStates().get(aId)?.user as { name?: string } | undefined;
    await eventually(() => presenceOfA()?.name === 'owner@example.test', 10_000, 'presence from instance one on instance two');
    a.destroy();
    clients.splice(clients.indexOf(a), 1);
    await eventually(() => !b.provider.awareness.getStates().has(aId), 10_000, 'presence to leave with the client');

    // Membership changes made through one instance reach sockets held by the other at once.
    const member = await addUser(one, { email: 'member@example.test', role: 'editor' });
    const m = connectCollab(two.url, notebookId, member.token);
    clients.push(m);
    await m.synced();
    const members = (await owner.api.get(`/api/workspaces/${owner.workspaceId}/members`)).json.members as Array<{
      userId?: string;
      id?: string;
      email: string;
    }>;
    const memberId = member.userId;
    assert.ok(members.some((x) => x.email === 'member@example.test'));
    assert.equal((await owner.api.patch(`/api/workspaces/${owner.workspaceId}/members/${memberId}`, { role: 'viewer' })).status, 200);
    await new Promise((r) => setTimeout(r, 500));
    text(m).insert(0, 'viewer-now ');
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(!source(b).includes('viewer-now'), 'the downgraded member’s edit is refused on the other instance');
    assert.equal((await owner.api.delete(`/api/workspaces/${owner.workspaceId}/members/${memberId}`)).status, 200);
    await eventually(
      () => m.closes.some((cl) => cl.code === closeCodes.forbidden.code),
      10_000,
      'the removed member’s socket on instance two to close',
    );

    const expected = source(b);
    for (const server of [one, two]) {
      const fresh = open(server);
      await fresh.synced();
      assert.equal(source(fresh), expected);
      assert.equal(cellsOf(fresh.doc).length, 1, 'no duplicated cells');
    }
  });
});
