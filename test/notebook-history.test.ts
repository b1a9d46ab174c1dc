import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as Y from 'yjs';
import { CELL_KEYS } from '../core/contracts/notebook-schema';
import { cellsOf, cellToData, createYCell } from '../core/notebook/notebook-doc';
import { connectCollab, eventually } from './helpers/collab-client';
import { writeFirstCell } from './helpers/lifecycle';
import { notebookWith } from './helpers/notebook-cells';
import { addUser, ownerSession } from './helpers/scenario';
import { BACKENDS, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';

// Notebook history through HTTP and a live collaboration client: named versions, diff against the
// live document, and restore that reaches everyone in the room while keeping what it replaced.

for (const config of BACKENDS) {
  describe(`notebook history on ${config.name}`, () => {
    let server: ServerProcess;
    let owner: Awaited<ReturnType<typeof ownerSession>>;
    let skip: string | null = null;
    before(async () => {
      skip = await serverSkipReason(config);
      if (skip) return;
      server = await startServerProcess({ db: config.db, nats: config.nats });
      owner = await ownerSession(server);
    });
    after(async () => server?.dispose());

    test('save, diff, restore: every client sees the restore and the replaced document stays in history', async (c) => {
      if (skip) return c.skip(skip);
      const viewer = await addUser(server, { email: 'viewer@example.test', role: 'viewer' });
      const nb = await owner.api.post('/api/notebooks', { workspaceId: owner.workspaceId, name: 'history' });
      assert.equal(nb.status, 201, JSON.stringify(nb.json));
      const id = nb.json.id as string;
      await writeFirstCell(server.url, id, owner.token, 'const a = 1;\nconsole.log(a);');

      const saved = await owner.api.post(`/api/notebooks/${id}/versions`, { name: 'first', message: 'baseline' });
      assert.equal(saved.status, 201, JSON.stringify(saved.json));
      assert.equal((await owner.api.post(`/api/notebooks/${id}/versions`, { name: '  ' })).status, 400);
      assert.equal((await viewer.api.post(`/api/notebooks/${id}/versions`, { name: 'nope' })).status, 403);

      // A live editor changes the cell and adds a markdown cell.
      const editor = connectCollab(server.url, id, owner.token);
      await editor.synced();
      const first = cellsOf(editor.doc).get(0);
      const text = first.get(CELL_KEYS.source) as Y.Text;
      editor.doc.transact(() => {
        text.delete(0, text.length);
        text.insert(0, 'const a = 2;\nconsole.log(a);\nconsole.log(a * 2);');
        cellsOf(editor.doc).push([createYCell({ cell_type: 'markdown', source: '# Results' })]);
      });
      await eventually(
        async () => {
          const d = await owner.api.get(`/api/notebooks/${id}/versions/diff?from=${saved.json.id}&to=current`);
          return d.status === 200 && d.json.summary.added === 1;
        },
        10_000,
        'the edit to reach the server',
      );
      const diff = (await viewer.api.get(`/api/notebooks/${id}/versions/diff?from=${saved.json.id}&to=current`)).json;
      assert.deepEqual(diff.summary, { added: 1, removed: 0, modified: 1, unchanged: 0, moved: 0 });
      assert.deepEqual(diff.cells[0].lines, [
        { op: 'del', text: 'const a = 1;' },
        { op: 'add', text: 'const a = 2;' },
        { op: 'same', text: 'console.log(a);' },
        { op: 'add', text: 'console.log(a * 2);' },
      ]);
      assert.equal((await owner.api.get(`/api/notebooks/${id}/versions/diff?from=current&to=current`)).status, 400);
      assert.equal((await owner.api.get(`/api/notebooks/${id}/versions/diff?from=not-a-version`)).status, 400);
      assert.equal((await owner.api.get(`/api/notebooks/${id}/versions/diff?from=${crypto.randomUUID()}`)).status, 404);

      assert.equal((await viewer.api.post(`/api/notebooks/${id}/versions/${saved.json.id}/restore`)).status, 403);
      const restored = await owner.api.post(`/api/notebooks/${id}/versions/${saved.json.id}/restore`);
      assert.equal(restored.status, 201, JSON.stringify(restored.json));

      // The connected editor sees the restored document without reconnecting.
      await eventually(
        () => {
          const cells = cellsOf(editor.doc).toArray().map(cellToData);
          return cells.length === 1 && cells[0]!.source === 'const a = 1;\nconsole.log(a);';
        },
        10_000,
        'the restore to reach the open client',
      );
      editor.destroy();

      const versions = (await owner.api.get(`/api/notebooks/${id}/versions`)).json.versions as Array<{
        id: string;
        kind: string;
        name: string | null;
      }>;
      assert.deepEqual(
        versions.slice(0, 3).map((v) => v.kind),
        ['restore', 'checkpoint', 'named'],
      );
      assert.match(versions[0]!.name!, /restore of first/);
      // What the restore replaced is a version too: nothing was overwritten.
      const kept = (await owner.api.get(`/api/notebook-versions/${restored.json.checkpointBefore}`)).json;
      assert.equal(kept.content.cells.length, 2);
      assert.equal(kept.content.cells[0].source, 'const a = 2;\nconsole.log(a);\nconsole.log(a * 2);');
      const back = (await owner.api.get(`/api/notebooks/${id}/versions/diff?from=${restored.json.checkpointBefore}&to=current`)).json;
      assert.deepEqual(back.summary, { added: 0, removed: 1, modified: 1, unchanged: 0, moved: 0 });

      // "Make a copy": a new notebook with the live cells; viewers cannot create notebooks.
      assert.equal((await viewer.api.post(`/api/notebooks/${id}/duplicate`, {})).status, 403);
      const copy = await owner.api.post(`/api/notebooks/${id}/duplicate`, {});
      assert.equal(copy.status, 201, JSON.stringify(copy.json));
      assert.equal(copy.json.name, 'history (copy)');
      assert.notEqual(copy.json.id, id);
      const copyDiff = await owner.api.get(`/api/notebooks/${copy.json.id}/versions`);
      assert.equal(copyDiff.status, 200);
      const copyClient = connectCollab(server.url, copy.json.id as string, owner.token);
      await copyClient.synced();
      assert.deepEqual(
        cellsOf(copyClient.doc)
          .toArray()
          .map((cell) => cellToData(cell).source),
        ['const a = 1;\nconsole.log(a);'],
      );
      copyClient.destroy();

      // Comments on a cell: editors write and resolve them, viewers read them; nothing in the document changes.
      const cellId = kept.content.cells[0].id as string;
      const comment = await owner.api.post(`/api/notebooks/${id}/comments`, { cellId, body: 'why a = 1 here?' });
      assert.equal(comment.status, 201, JSON.stringify(comment.json));
      assert.equal((await viewer.api.post(`/api/notebooks/${id}/comments`, { cellId, body: 'me too' })).status, 403);
      assert.equal((await owner.api.post(`/api/notebooks/${id}/comments`, { cellId, body: '   ' })).status, 400);
      assert.equal((await owner.api.post(`/api/notebooks/${id}/comments`, { cellId: 'no-such-cell', body: 'x' })).status, 404);
      const seen = (await viewer.api.get(`/api/notebooks/${id}/comments`)).json.comments as Array<Record<string, unknown>>;
      assert.deepEqual(
        seen.map((c) => [c.cellId, c.body, c.authorEmail, c.resolvedAt]),
        [[cellId, 'why a = 1 here?', 'owner@example.test', null]],
      );
      assert.equal((await viewer.api.post(`/api/comments/${comment.json.id}/resolve`, {})).status, 403);
      const resolved = await owner.api.post(`/api/comments/${comment.json.id}/resolve`, {});
      assert.equal(resolved.status, 200);
      assert.ok(resolved.json.resolvedAt);
      assert.equal((await viewer.api.delete(`/api/comments/${comment.json.id}`)).status, 403);
      assert.equal((await owner.api.delete(`/api/comments/${comment.json.id}`)).status, 200);
      assert.deepEqual((await owner.api.get(`/api/notebooks/${id}/comments`)).json.comments, []);

      // Another notebook's versions cannot be restored here.
      const other = await owner.api.post('/api/notebooks', { workspaceId: owner.workspaceId, name: 'other' });
      assert.equal((await owner.api.post(`/api/notebooks/${other.json.id}/versions/${saved.json.id}/restore`)).status, 404);
    });

    test('a named version keeps the outputs: restore brings back every cell’s outputs and execution count, the diff names output changes', async (c) => {
      if (skip) return c.skip(skip);
      const { notebookId, cellIds } = await notebookWith(server, owner, [
        "console.log('first output');",
        "display({ html: '<b>rich</b>' });\n41 + 1",
      ]);
      assert.equal((await owner.api.post(`/api/notebooks/${notebookId}/run`, {})).status, 202);
      const client = connectCollab(server.url, notebookId, owner.token);
      await client.synced();
      const outputsNow = () =>
        cellsOf(client.doc)
          .toArray()
          .map((cell) => cellToData(cell));
      await eventually(
        () => outputsNow().every((d) => d.execution_state === 'idle' && d.execution_count !== null && d.outputs.length > 0),
        60_000,
        'both cells to run',
      );
      const ran = outputsNow();
      const saved = await owner.api.post(`/api/notebooks/${notebookId}/versions`, { name: 'with outputs' });
      assert.equal(saved.status, 201, JSON.stringify(saved.json));

      // Someone clears the outputs and edits a cell.
      client.doc.transact(() => {
        for (const cell of cellsOf(client.doc).toArray()) {
          const outs = cell.get(CELL_KEYS.outputs) as Y.Array<unknown>;
          outs.delete(0, outs.length);
          cell.set(CELL_KEYS.executionCount, null);
        }
        (cellsOf(client.doc).get(0).get(CELL_KEYS.source) as Y.Text).insert(0, '// edited\n');
      });
      await eventually(
        async () => {
          const d = await owner.api.get(`/api/notebooks/${notebookId}/versions/diff?from=${saved.json.id}&to=current`);
          return d.status === 200 && d.json.outputsChanged.length === 2;
        },
        10_000,
        'the diff to show both cells’ outputs changed',
      );

      assert.equal((await owner.api.post(`/api/notebooks/${notebookId}/versions/${saved.json.id}/restore`)).status, 201);
      await eventually(() => outputsNow()[0]?.outputs.length === ran[0]!.outputs.length, 10_000, 'the restore to reach the client');
      const back = outputsNow();
      assert.deepEqual(
        back.map((d) => [d.id, d.source, d.execution_count, d.outputs]),
        ran.map((d) => [d.id, d.source, d.execution_count, d.outputs]),
        'cells and their outputs as they were saved',
      );
      assert.deepEqual(
        back.map((d) => d.id),
        cellIds,
      );
      client.destroy();
    });
  });
}
