import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { CELL_KEYS } from '../core/contracts/notebook-schema';
import { cellsOf, cellSource } from '../core/notebook/notebook-doc';
import { connectCollab, eventually, type CollabClient } from './helpers/collab-client';
import { addUser, ownerSession } from './helpers/scenario';
import { apiClient, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';
import type { TestDbKind } from './helpers/db';

const firstSource = (c: CollabClient) => {
  const cell = cellsOf(c.doc).get(0);
  return cell ? cellSource(cell) : '';
};
const firstText = (c: CollabClient) => cellsOf(c.doc).get(0).get(CELL_KEYS.source) as Y.Text;

for (const db of ['pglite', 'postgres'] as TestDbKind[]) {
  describe(`collaboration on ${db}`, () => {
    let server: ServerProcess;
    let skip: string | null = null;
    let owner: Awaited<ReturnType<typeof ownerSession>>;
    let notebookId: string;
    const clients: CollabClient[] = [];
    const open = (token: string) => {
      const c = connectCollab(server.url, notebookId, token);
      clients.push(c);
      return c;
    };

    before(async () => {
      skip = await serverSkipReason({ db });
      if (skip) return;
      server = await startServerProcess({ db, env: { FERRY_EMBEDDED_WORKERS: '0' } });
      owner = await ownerSession(server);
      notebookId = (await owner.api.post('/api/notebooks', { name: 'Shared' })).json.id;
    });
    after(async () => {
      for (const c of clients) c.destroy();
      await server?.dispose();
    });

    test('two clients typing at once converge, and the server stored it', async (c) => {
      if (skip) return c.skip(skip);
      const editor = await addUser(server, { email: `ed-${db}@example.test`, role: 'editor' });
      const a = open(owner.token);
      const b = open(editor.token);
      await Promise.all([a.synced(), b.synced()]);
      assert.equal(cellsOf(a.doc).length, 1, 'the server wrote the one starter cell');
      for (let i = 0; i < 20; i++) {
        firstText(a).insert(0, 'a');
        firstText(b).insert(firstText(b).length, 'b');
      }
      await eventually(() => firstSource(a) === firstSource(b) && firstSource(a).length === 40, 10_000, 'convergence');
      assert.equal(firstSource(a).replace(/b/g, ''), 'a'.repeat(20));
      const fresh = open(owner.token);
      await fresh.synced();
      assert.equal(firstSource(fresh), firstSource(a));
      assert.equal(cellsOf(fresh.doc).length, 1, 'no duplicated cells');
    });

    test("a viewer's edits are refused and never reach anyone", async (c) => {
      if (skip) return c.skip(skip);
      const viewer = await addUser(server, { email: `viewer-${db}@example.test`, role: 'viewer' });
      const v = open(viewer.token);
      const a = open(owner.token);
      await Promise.all([v.synced(), a.synced()]);
      const before = firstSource(a);
      firstText(v).insert(0, 'VIEWER WAS HERE ');
      await new Promise((r) => setTimeout(r, 700));
      assert.equal(firstSource(a), before);
      const check = open(owner.token);
      await check.synced();
      assert.equal(firstSource(check), before, 'nothing stored');
      // The HTTP API refuses the viewer's writes too.
      assert.equal((await viewer.api.patch(`/api/notebooks/${notebookId}`, { name: 'renamed' })).status, 403);
    });

    test('no credentials, or a notebook of another team, are refused at the door', async (c) => {
      if (skip) return c.skip(skip);
      const statusOf = (url: string, token?: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('open', () => resolve(101));
          ws.on('error', () => undefined);
        });
      const wsBase = server.url.replace(/^http/, 'ws');
      assert.equal(await statusOf(`${wsBase}/yjs/${notebookId}`), 401);
      assert.equal(await statusOf(`${wsBase}/yjs/${notebookId}`, 'fry_wrong'), 401);
      assert.equal(await statusOf(`${wsBase}/yjs/00000000-0000-4000-8000-000000000000`, owner.token), 404);
    });

    test('garbage closes only that socket; an oversized change is refused and the notebook is intact', async (c) => {
      if (skip) return c.skip(skip);
      const a = open(owner.token);
      await a.synced();
      const before = firstSource(a);
      const raw = new WebSocket(`${server.url.replace(/^http/, 'ws')}/yjs/${notebookId}`, {
        headers: { authorization: `Bearer ${owner.token}` },
      });
      const closed = new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)));
      await new Promise((r) => raw.on('open', r));
      raw.send(Buffer.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
      assert.equal(await closed, 4400);
      const big = open(owner.token);
      await big.synced();
      firstText(big).insert(0, 'x'.repeat(5 * 1024 * 1024));
      await eventually(() => big.closes.some((cl) => cl.code === 4413), 10_000, 'close 4413');
      big.provider.disconnect();
      const check = open(owner.token);
      await check.synced();
      assert.equal(firstSource(check), before);
      assert.equal(firstSource(a), before, 'the other client never saw it');
      assert.equal((await apiClient(server.url).get('/api/health')).status, 200, 'server still up');
    });

    test('SIGKILL right after an edit was relayed loses nothing', async (c) => {
      if (skip) return c.skip(skip);
      const a = open(owner.token);
      const b = open(owner.token);
      await Promise.all([a.synced(), b.synced()]);
      firstText(a).insert(0, 'survives-the-crash ');
      await eventually(() => firstSource(b).startsWith('survives-the-crash '), 10_000, 'relay');
      await server.kill();
      for (const cl of clients.splice(0)) cl.destroy();
      server = await startServerProcess({ db, reuse: { dataDir: server.dataDir, env: server.env } });
      const after = open(owner.token);
      await after.synced();
      assert.ok(firstSource(after).startsWith('survives-the-crash '), firstSource(after));
      assert.equal(cellsOf(after.doc).length, 1);
    });
  });
}
