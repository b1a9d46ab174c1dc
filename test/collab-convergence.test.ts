import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as Y from 'yjs';
import { CELL_KEYS } from '../core/contracts/notebook-schema';
import { cellsOf, createYCell, notebookToData } from '../core/notebook/notebook-doc';
import { connectCollab, eventually, type CollabClient } from './helpers/collab-client';
import type { TestDbKind } from './helpers/db';
import { ownerSession } from './helpers/scenario';
import { serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';

// Property: N clients make random concurrent edits (type, delete, add / remove / retype cells) while
// randomly dropping and regaining their connection; afterwards every client holds the same document,
// and it is the document the server stored (a fresh client after a SIGKILL and restart reads it back).

const CLIENTS = 5;
const STEPS = 150;
const SEEDS = [1, 2, 3];

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const snapshot = (c: CollabClient) => JSON.stringify(notebookToData(c.doc).cells.map((x) => [x.id, x.cell_type, x.source]));

function randomEdit(client: CollabClient, rand: () => number, tag: string) {
  const cells = cellsOf(client.doc);
  const roll = rand();
  if (cells.length === 0 || roll < 0.1) {
    cells.insert(Math.floor(rand() * (cells.length + 1)), [createYCell({ cell_type: 'code', source: `// ${tag}\n` })]);
  } else if (roll < 0.15 && cells.length > 1) {
    cells.delete(Math.floor(rand() * cells.length), 1);
  } else if (roll < 0.2) {
    cells.get(Math.floor(rand() * cells.length)).set(CELL_KEYS.type, rand() < 0.5 ? 'markdown' : 'code');
  } else {
    const text = cells.get(Math.floor(rand() * cells.length)).get(CELL_KEYS.source) as Y.Text;
    if (rand() < 0.7 || text.length === 0) text.insert(Math.floor(rand() * (text.length + 1)), tag);
    else {
      const at = Math.floor(rand() * text.length);
      text.delete(at, Math.min(text.length - at, 1 + Math.floor(rand() * 4)));
    }
  }
}

for (const db of ['pglite', 'postgres'] as TestDbKind[]) {
  describe(`convergence under random edits and disconnects on ${db}`, () => {
    let server: ServerProcess;
    let skip: string | null = null;
    before(async () => {
      skip = await serverSkipReason({ db });
      if (skip) return;
      server = await startServerProcess({ db, env: { FERRY_EMBEDDED_WORKERS: '0' } });
    });
    after(async () => server?.dispose());

    for (const seed of SEEDS)
      test(`seed ${seed}: ${CLIENTS} clients, ${STEPS} rounds`, async (c) => {
        if (skip) return c.skip(skip);
        const owner = seed === SEEDS[0] ? await ownerSession(server) : await ownerSessionFor(server);
        const notebookId = (await owner.api.post('/api/notebooks', { workspaceId: owner.workspaceId, name: `prop-${seed}` })).json
          .id as string;
        const rand = prng(seed);
        const clients = Array.from({ length: CLIENTS }, () => connectCollab(server.url, notebookId, owner.token));
        await Promise.all(clients.map((cl) => cl.synced()));
        for (let step = 0; step < STEPS; step++) {
          const i = Math.floor(rand() * CLIENTS);
          const client = clients[i]!;
          const roll = rand();
          if (roll < 0.08 && client.provider.wsconnected) client.provider.disconnect();
          else if (roll < 0.16 && !client.provider.shouldConnect) client.provider.connect();
          // Offline clients keep editing: their edits must merge on reconnect, not vanish or duplicate.
          randomEdit(client, rand, `${String.fromCharCode(97 + i)}${step} `);
          if (rand() < 0.3) await new Promise((r) => setTimeout(r, Math.floor(rand() * 15)));
        }
        for (const cl of clients) if (!cl.provider.shouldConnect) cl.provider.connect();
        await eventually(
          () => clients.every((cl) => cl.provider.synced && snapshot(cl) === snapshot(clients[0]!)),
          30_000,
          'all clients to converge',
        );
        const converged = snapshot(clients[0]!);
        for (const cl of clients) cl.destroy();

        // What the server stored is that document, even across a SIGKILL.
        await server.kill();
        server = await startServerProcess({ db, reuse: { dataDir: server.dataDir, env: server.env } });
        const fresh = connectCollab(server.url, notebookId, owner.token);
        await fresh.synced();
        assert.equal(snapshot(fresh), converged);
        const ids = notebookToData(fresh.doc).cells.map((x) => x.id);
        assert.equal(new Set(ids).size, ids.length, 'no duplicated cells');
        fresh.destroy();
      });
  });
}

/** Later seeds sign in as the same owner (setup runs once per server). */
async function ownerSessionFor(server: ServerProcess) {
  const { apiClient } = await import('./helpers/server');
  const api = apiClient(server.url);
  const signIn = await api.post('/api/auth/sign-in', { email: 'owner@example.test', password: 'owner-password' });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(signIn.json)}`);
  const token = (await api.post('/api/tokens', { name: 'prop' })).json.token as string;
  const me = (await api.get('/api/auth/me')).json;
  return { api, token, workspaceId: me.workspaces[0].id as string };
}
