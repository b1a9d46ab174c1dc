import { randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
import { CELL_KEYS } from '../../core/contracts/notebook-schema';
import { cellsOf, createYCell } from '../../core/notebook/notebook-doc';
import { ownerSession } from '../../test/helpers/scenario';
import { startServerProcess, type ServerProcess } from '../../test/helpers/server';
import { printTable, summarize, type BenchRow } from '../table';
import { connect, type BenchClient } from './clients';
import { connectInspector, INSPECT_FLAG, inspectorUrlIn, type Inspector } from './inspector';
import { startReferenceServer } from './reference-server';

// `npm run bench -- collab`: Ferry's collaboration server beside the reference y-websocket server
// (@y/websocket-server 0.1.1) under the same load in the same run, with the same client (y-websocket):
//   - edit-to-remote-apply latency with CLIENTS clients on one notebook (p50 / p99 over every receiver)
//   - memory per open room (live heap + external after a forced GC, through the inspector, over ROOMS rooms)
//   - time to open a 1,000-cell notebook (connect → synced with every cell)
// Ferry stores every update before relaying it (PGlite, the embedded default); the reference keeps
// documents in memory only, so it has nothing to store and loses everything on restart.

const CLIENTS = Number(process.env.FERRY_BENCH_CLIENTS ?? 50);
const EDITS = Number(process.env.FERRY_BENCH_EDITS ?? 100);
const ROOMS = Number(process.env.FERRY_BENCH_ROOMS ?? 200);
/** Cells in each room of the memory test: enough content that a room's cost stands above GC noise. */
const ROOM_CELLS = 10;
const CELLS = 1000;

interface Target {
  name: string;
  url: string;
  inspector: () => Promise<Inspector>;
  newRoom(): Promise<{ room: string; params: Record<string, string> }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number, what: string) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Ferry's rooms start with one cell; the reference's start empty, so the first client adds it. */
async function withCell(client: BenchClient): Promise<Y.Text> {
  await client.synced;
  const cells = cellsOf(client.doc);
  if (cells.length === 0) cells.push([createYCell({ cell_type: 'code', source: '' })]);
  return cells.get(0).get(CELL_KEYS.source) as Y.Text;
}

async function editLatency(target: Target): Promise<number[]> {
  const { room, params } = await target.newRoom();
  const clients = Array.from({ length: CLIENTS }, () => connect(target.url, room, params));
  await Promise.all(clients.map((c) => c.synced));
  await withCell(clients[0]!);
  await until(() => clients.every((c) => cellsOf(c.doc).length > 0), 20_000, 'every client to see the cell');
  const sentAt = new Map<number, { at: number; by: number }>();
  const samples: number[] = [];
  clients.forEach((client, i) => {
    (cellsOf(client.doc).get(0).get(CELL_KEYS.source) as Y.Text).observe((event) => {
      const now = performance.now();
      for (const d of event.delta)
        if (typeof d.insert === 'string')
          for (const m of d.insert.matchAll(/#(\d+);/g)) {
            const sent = sentAt.get(Number(m[1]));
            if (sent && sent.by !== i) samples.push(now - sent.at);
          }
    });
  });
  for (let seq = 0; seq < EDITS; seq++) {
    const by = seq % CLIENTS;
    const text = cellsOf(clients[by]!.doc).get(0).get(CELL_KEYS.source) as Y.Text;
    sentAt.set(seq, { at: performance.now(), by });
    text.insert(text.length, `#${seq};`);
    await sleep(20);
  }
  await until(() => samples.length >= EDITS * (CLIENTS - 1), 60_000, 'every edit to reach every other client');
  for (const c of clients) c.destroy();
  return samples;
}

async function openFilledRoom(target: Target): Promise<BenchClient> {
  const { room, params } = await target.newRoom();
  const client = connect(target.url, room, params);
  await withCell(client);
  const cells = cellsOf(client.doc);
  client.doc.transact(() =>
    cells.push(
      Array.from({ length: ROOM_CELLS - 1 }, (_, i) =>
        createYCell({ cell_type: 'code', source: `// cell ${i}\nconst v${i} = tf.randomNormal([32, 8]);\nv${i}.mean().print();` }),
      ),
    ),
  );
  return client;
}

async function memoryPerRoom(target: Target): Promise<number> {
  // Warm up first (JIT, first-use caches), then count only what more rooms add: live heap and
  // external memory after a forced full GC, through each server's inspector.
  const clients: BenchClient[] = [];
  for (let i = 0; i < 20; i++) clients.push(await openFilledRoom(target));
  const inspector = await target.inspector();
  await sleep(1000);
  const before = await inspector.liveBytes();
  for (let i = 0; i < ROOMS; i++) clients.push(await openFilledRoom(target));
  await sleep(1000);
  const after = await inspector.liveBytes();
  inspector.close();
  for (const c of clients) c.destroy();
  return (after - before) / ROOMS;
}

async function seedLargeNotebook(target: Target): Promise<{ room: string; params: Record<string, string> }> {
  const where = await target.newRoom();
  const seeder = connect(target.url, where.room, where.params);
  await withCell(seeder);
  const cells = cellsOf(seeder.doc);
  seeder.doc.transact(() => {
    const add = Array.from({ length: CELLS - cells.length }, (_, i) =>
      createYCell({
        cell_type: i % 5 === 0 ? 'markdown' : 'code',
        source:
          i % 5 === 0
            ? `## Step ${i}\nWhy this step matters.`
            : `const x${i} = tf.tensor([${i}, ${i + 1}]);\nconst y${i} = x${i}.square();\ny${i}.print();`,
        outputs: i % 5 === 0 ? [] : [{ output_type: 'stream', name: 'stdout', text: `Tensor [${i * i}, ${(i + 1) * (i + 1)}]\n` }],
      }),
    );
    cells.push(add);
  });
  const check = connect(target.url, where.room, where.params);
  await check.synced;
  await until(() => cellsOf(check.doc).length === CELLS, 60_000, 'the seeded notebook to reach the server');
  check.destroy();
  seeder.destroy();
  return where;
}

async function timeToOpen(url: string, where: { room: string; params: Record<string, string> }): Promise<number> {
  const t = performance.now();
  const client = connect(url, where.room, where.params);
  await client.synced;
  await until(() => cellsOf(client.doc).length === CELLS, 60_000, 'all cells');
  const ms = performance.now() - t;
  client.destroy();
  return ms;
}

export async function run(): Promise<void> {
  process.setMaxListeners(50);
  let server: ServerProcess = await startServerProcess({
    db: 'pglite',
    env: { FERRY_EMBEDDED_WORKERS: '0', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${INSPECT_FLAG}`.trim() },
  });
  const reference = await startReferenceServer();
  try {
    const owner = await ownerSession(server);
    const ferry: Target = {
      name: 'Ferry',
      url: `${server.url.replace(/^http/, 'ws')}/yjs`,
      inspector: () => connectInspector(inspectorUrlIn(server.logs())!),
      async newRoom() {
        const created = await owner.api.post('/api/notebooks', {
          workspaceId: owner.workspaceId,
          name: `bench ${randomUUID().slice(0, 8)}`,
        });
        if (created.status !== 201) throw new Error(`notebook create failed: ${JSON.stringify(created.json)}`);
        return { room: created.json.id as string, params: { token: owner.token } };
      },
    };
    const ref: Target = {
      name: 'reference',
      url: reference.url,
      inspector: () => connectInspector(reference.inspectorUrl),
      newRoom: async () => ({ room: randomUUID(), params: {} }),
    };

    process.stderr.write(`collab: memory over ${ROOMS} open rooms…\n`);
    const ferryRoom = await memoryPerRoom(ferry);
    const refRoom = await memoryPerRoom(ref);
    process.stderr.write(`collab: ${CLIENTS} clients × ${EDITS} edits on one notebook…\n`);
    const ferryLatency = summarize(await editLatency(ferry));
    const refLatency = summarize(await editLatency(ref));
    process.stderr.write(`collab: opening a ${CELLS}-cell notebook…\n`);
    const ferryBig = await seedLargeNotebook(ferry);
    const refBig = await seedLargeNotebook(ref);
    const warmFerry: number[] = [];
    const warmRef: number[] = [];
    for (let i = 0; i < 5; i++) {
      warmFerry.push(await timeToOpen(ferry.url, ferryBig));
      warmRef.push(await timeToOpen(ref.url, refBig));
    }
    // Cold: the server restarted, so the notebook is loaded from storage on first open.
    await server.stop();
    server = await startServerProcess({ db: 'pglite', reuse: { dataDir: server.dataDir, env: server.env } });
    const coldFerry = await timeToOpen(`${server.url.replace(/^http/, 'ws')}/yjs`, ferryBig);

    const rows: BenchRow[] = [
      {
        metric: `edit → remote apply p50 (${CLIENTS} clients)`,
        unit: 'ms',
        ferry: ferryLatency.p50,
        reference: refLatency.p50,
        referenceName: '@y/websocket-server 0.1.1',
        better: 'lower',
        note: 'Ferry stores each update before relaying',
      },
      {
        metric: `edit → remote apply p99 (${CLIENTS} clients)`,
        unit: 'ms',
        ferry: ferryLatency.p99,
        reference: refLatency.p99,
        referenceName: '@y/websocket-server 0.1.1',
        better: 'lower',
      },
      {
        metric: 'memory per open room',
        unit: 'KiB',
        ferry: ferryRoom / 1024,
        reference: refRoom / 1024,
        referenceName: '@y/websocket-server 0.1.1',
        better: 'lower',
        note: `live heap + external after a full GC, over ${ROOMS} rooms of ${ROOM_CELLS} cells`,
      },
      {
        metric: `open a ${CELLS}-cell notebook (warm) p50`,
        unit: 'ms',
        ferry: summarize(warmFerry).p50,
        reference: summarize(warmRef).p50,
        referenceName: '@y/websocket-server 0.1.1',
        better: 'lower',
        note: 'room in memory',
      },
      {
        metric: `open a ${CELLS}-cell notebook after a restart`,
        unit: 'ms',
        ferry: coldFerry,
        reference: null,
        referenceName: '(reference keeps nothing across restarts)',
        better: 'lower',
        note: 'loaded from storage',
      },
    ];
    printTable(`collab (${CLIENTS} clients, ${EDITS} edits, ${ROOMS} rooms, ${CELLS} cells; Ferry on PGlite)`, rows);
  } finally {
    await reference.stop();
    await server.dispose();
  }
}
