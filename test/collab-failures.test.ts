import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import type * as Y from 'yjs';
import { CELL_KEYS } from '../core/contracts/notebook-schema';
import { closeCodes } from '../core/contracts/close-codes';
import { cellsOf, createYCell, notebookToData } from '../core/notebook/notebook-doc';
import { connectCollab, eventually, type CollabClient } from './helpers/collab-client';
import type { TestDbKind } from './helpers/db';
import { ownerSession } from './helpers/scenario';
import { serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';
import { freePort } from './helpers/services';

// The failures collaborative-notebook users report, each reproduced: a client with an old local copy
// reconnecting after the server compacted and restarted (JupyterLab users saw duplicated cells), and
// a server that cannot store an edit (users saw collaborators present while their edits went nowhere).

const sources = (c: CollabClient) => notebookToData(c.doc).cells.map((x) => x.source);
const textOf = (c: CollabClient, i: number) => cellsOf(c.doc).get(i).get(CELL_KEYS.source) as Y.Text;

for (const db of ['pglite', 'postgres'] as TestDbKind[]) {
  describe(`collaboration failure modes on ${db}`, () => {
    const servers: ServerProcess[] = [];
    const clients: CollabClient[] = [];
    after(async () => {
      for (const c of clients) c.destroy();
      for (const s of servers) await s.dispose().catch(() => undefined);
    });

    test('an offline client with an old copy reconnects after compaction and a crash: merged once, nothing duplicated', async (c) => {
      const skip = await serverSkipReason({ db });
      if (skip) return c.skip(skip);
      // A fixed port, so the clients' reconnect reaches the restarted server; rooms unload (and compact) fast.
      const port = await freePort();
      let server = await startServerProcess({ db, env: { FERRY_EMBEDDED_WORKERS: '0', PORT: String(port), FERRY_ROOM_IDLE_MS: '300' } });
      servers.push(server);
      const owner = await ownerSession(server);
      const notebookId = (await owner.api.post('/api/notebooks', { name: 'reconnect' })).json.id as string;
      const open = () => {
        const client = connectCollab(server.url, notebookId, owner.token);
        clients.push(client);
        return client;
      };
      const a = open();
      const b = open();
      await Promise.all([a.synced(), b.synced()]);
      textOf(a, 0).insert(0, 'shared\n');
      await eventually(() => sources(b)[0] === 'shared\n', 10_000, 'the first edit');

      // A goes offline and keeps working on its now old copy.
      a.provider.disconnect();
      textOf(a, 0).insert(0, 'offline-A ');
      cellsOf(a.doc).push([createYCell({ cell_type: 'code', source: 'A-cell' })]);

      // Meanwhile B makes enough edits for the server to compact the stored log, then leaves.
      cellsOf(b.doc).push([createYCell({ cell_type: 'markdown', source: 'B-cell' })]);
      for (let i = 0; i < 120; i++) textOf(b, 1).insert(textOf(b, 1).length, '.');
      const bFinal = sources(b);
      const check = open();
      await check.synced();
      await eventually(() => JSON.stringify(sources(check)) === JSON.stringify(bFinal), 10_000, 'B’s edits stored');
      b.destroy();
      check.destroy();
      await new Promise((r) => setTimeout(r, 1500)); // idle unload → compaction of the room

      await server.kill();
      server = await startServerProcess({ db, reuse: { dataDir: server.dataDir, env: server.env } });
      servers.push(server);
      a.provider.connect();
      await a.synced();
      const fresh = open();
      await fresh.synced();
      await eventually(
        () => sources(fresh).length === 3 && JSON.stringify(sources(a)) === JSON.stringify(sources(fresh)),
        10_000,
        'A’s offline edits to merge',
      );
      const merged = sources(fresh);
      assert.equal(merged.length, 3, `three cells, none duplicated: ${JSON.stringify(merged)}`);
      assert.equal(merged[0], 'offline-A shared\n');
      assert.deepEqual([...merged.slice(1)].sort(), ['A-cell', `B-cell${'.'.repeat(120)}`].sort());
      const ids = notebookToData(fresh.doc).cells.map((x) => x.id);
      assert.equal(new Set(ids).size, 3);
    });

    if (db === 'postgres')
      test('when an edit cannot be stored the sender is disconnected at once (never silently out of sync), and it syncs once storage is back', async (c) => {
        const skip = await serverSkipReason({ db, nats: false });
        if (skip) return c.skip(skip);
        const server = await startServerProcess({ db, env: { FERRY_EMBEDDED_WORKERS: '0' } });
        servers.push(server);
        const owner = await ownerSession(server);
        const notebookId = (await owner.api.post('/api/notebooks', { name: 'storage' })).json.id as string;
        const a = connectCollab(server.url, notebookId, owner.token);
        const b = connectCollab(server.url, notebookId, owner.token);
        clients.push(a, b);
        await Promise.all([a.synced(), b.synced()]);
        const admin = new pg.Client({ connectionString: server.env.DATABASE_URL });
        await admin.connect();
        try {
          await admin.query('alter table notebook_updates rename to notebook_updates_away');
          textOf(a, 0).insert(0, 'written while storage is down');
          await eventually(() => a.closes.some((cl) => cl.code === closeCodes.storageFailed.code), 10_000, 'the sender to be told (4500)');
          assert.equal(sources(b)[0], '', 'nothing unstored was relayed');
          await admin.query('alter table notebook_updates_away rename to notebook_updates');
          // The client reconnects by itself and resends what the server lacks.
          await eventually(() => sources(b)[0] === 'written while storage is down', 20_000, 'the edit after storage came back');
          const fresh = connectCollab(server.url, notebookId, owner.token);
          clients.push(fresh);
          await fresh.synced();
          assert.equal(sources(fresh)[0], 'written while storage is down');
        } finally {
          await admin.query('alter table if exists notebook_updates_away rename to notebook_updates').catch(() => undefined);
          await admin.end();
        }
      });
  });
}
