import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type * as Y from 'yjs';
import { CELL_KEYS } from '../core/contracts/notebook-schema';
import { cellsOf, cellToData, createYCell } from '../core/notebook/notebook-doc';
import { connectCollab, eventually } from './helpers/collab-client';
import { addUser, ownerSession } from './helpers/scenario';
import { BACKENDS, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';

// The shared execution queue: two people's runs interleave in the order they asked, with execution
// counts in that order and each run attributed; run all / run below; output limits with a visible
// note (a flood of prints, one output larger than a bus message). Both backends.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

for (const config of BACKENDS) {
  describe(`execution queue on ${config.name}`, () => {
    let server: ServerProcess;
    let skip: string | null = null;
    before(async () => {
      skip = await serverSkipReason(config);
      if (skip) return;
      server = await startServerProcess({ db: config.db, nats: config.nats });
    });
    after(async () => server?.dispose());

    test('interleaved runs of two users keep their order; run all; outputs past the limits end in a note', async (c) => {
      if (skip) return c.skip(skip);
      const owner = await ownerSession(server);
      const bob = await addUser(server, { email: 'bob@example.test', role: 'editor' });
      const notebookId = (await owner.api.post('/api/notebooks', { name: 'queue' })).json.id as string;
      const client = connectCollab(server.url, notebookId, owner.token);
      await client.synced();
      const sources = [
        "await new Promise((r) => setTimeout(r, 400));\nconsole.log('slow');",
        "console.log('quick');",
        "for (let i = 0; i < 4000; i++) console.log('x'.repeat(999));",
        "display({ html: '<p>' + 'y'.repeat(1_500_000) + '</p>' });",
      ];
      const cells = cellsOf(client.doc);
      client.doc.transact(() => {
        (cells.get(0).get(CELL_KEYS.source) as Y.Text).insert(0, sources[0]!);
        cells.push(sources.slice(1).map((source) => createYCell({ cell_type: 'code', source })));
      });
      const ids = cells.toArray().map((cell) => String(cell.get(CELL_KEYS.id)));
      await eventually(
        async () => {
          const check = connectCollab(server.url, notebookId, owner.token);
          await check.synced();
          const n = cellsOf(check.doc).length;
          check.destroy();
          return n === 4;
        },
        10_000,
        'the cells to be stored',
      );

      // A cell may ask for a kind of worker: refused with the reason when none has it.
      const gpu = await owner.api.post(`/api/notebooks/${notebookId}/cells/${ids[1]}/run`, { requirements: { gpu: true } });
      assert.equal(gpu.status, 409, JSON.stringify(gpu.json));
      assert.match(gpu.json.error.message, /no connected worker has a GPU; the fleet: /);

      const run = (api: typeof owner.api, cellId: string) => api.post(`/api/notebooks/${notebookId}/cells/${cellId}/run`);
      const order = [
        await run(owner.api, ids[0]!),
        await run(bob.api, ids[1]!),
        await run(owner.api, ids[1]!),
        await run(bob.api, ids[0]!),
      ];
      for (const r of order) assert.equal(r.status, 202, JSON.stringify(r.json));
      const requested = order.map((r) => r.json.executionId as string);
      let queue: Json[] = [];
      await eventually(
        async () => {
          queue = (await bob.api.get(`/api/notebooks/${notebookId}/executions`)).json.executions as Json[];
          return requested.every((id) => queue.find((e) => e.executionId === id)?.status === 'ok');
        },
        60_000,
        'all four runs to finish',
      );
      const mine = requested.map((id) => queue.find((e) => e.executionId === id)!);
      assert.deepEqual(
        mine.map((e) => e.requestedByEmail),
        ['owner@example.test', 'bob@example.test', 'owner@example.test', 'bob@example.test'],
      );
      const counts = mine.map((e) => e.executionCount as number);
      assert.deepEqual(
        counts,
        [...counts].sort((a, b) => a - b),
        `execution counts follow the request order: ${counts}`,
      );
      const ends = mine.map((e) => new Date(e.endedAt).getTime());
      assert.deepEqual(
        ends,
        [...ends].sort((a, b) => a - b),
        'they finished in the order they were asked for',
      );
      assert.ok(mine.every((e) => e.durationMs >= 0));

      const moved = await owner.api.post(`/api/notebooks/${notebookId}/cells/${ids[1]}/run`, { requirements: { label: 'big-box' } });
      assert.equal(moved.status, 409);
      assert.match(moved.json.error.message, /no connected worker has the label "big-box"/);

      const all = await owner.api.post(`/api/notebooks/${notebookId}/run`, {});
      assert.equal(all.status, 202);
      assert.deepEqual(
        (all.json.queued as Json[]).map((q) => q.cellId),
        ids,
      );
      const below = await owner.api.post(`/api/notebooks/${notebookId}/run`, { fromCellId: ids[2] });
      assert.deepEqual(
        (below.json.queued as Json[]).map((q) => q.cellId),
        ids.slice(2),
      );
      assert.equal((await owner.api.post(`/api/notebooks/${notebookId}/run`, { fromCellId: 'nope' })).status, 404);
      const last = (below.json.queued as Json[]).map((q) => q.executionId as string);
      await eventually(
        async () => {
          const q = (await owner.api.get(`/api/notebooks/${notebookId}/executions`)).json.executions as Json[];
          return last.every((id) => q.find((e) => e.executionId === id)?.status === 'ok');
        },
        90_000,
        'run below to finish',
      );
      const outputsOf = async (i: number) => {
        const check = connectCollab(server.url, notebookId, owner.token);
        await check.synced();
        const data = cellToData(cellsOf(check.doc).get(i));
        check.destroy();
        return data.outputs;
      };
      const flood = await outputsOf(2);
      const floodText = flood.map((o) => (o.output_type === 'stream' ? o.text : '')).join('');
      assert.ok(floodText.length < 2.2 * 1024 * 1024, `kept ${floodText.length} characters of ~4 MB printed`);
      assert.match(floodText, /\[Ferry\] output truncated: this cell printed more than 2048 KiB/);
      const huge = await outputsOf(3);
      assert.equal(huge.length, 1);
      assert.match(huge[0]!.output_type === 'stream' ? huge[0]!.text : '', /one display_data output of 14\d\d KiB was not shown/);
      client.destroy();
    });
  });
}
