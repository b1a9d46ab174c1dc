import type * as Y from 'yjs';
import { CELL_KEYS } from '../../core/contracts/notebook-schema';
import { cellsOf, cellToData, createYCell } from '../../core/notebook/notebook-doc';
import { connectCollab, eventually, type CollabClient } from './collab-client';
import type { ServerProcess } from './server';

// Notebooks with given code cells, written through a real collaboration client, and what their cells
// printed, read live from the shared document.

interface Owner {
  api: { post(path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  token: string;
  workspaceId: string;
}

/** Creates a notebook whose code cells hold `sources`, in order; resolves once the server has them all. */
export async function notebookWith(
  server: ServerProcess,
  owner: Owner,
  sources: string[],
  name = `nb ${Math.random().toString(36).slice(2, 8)}`,
) {
  const notebookId = (await owner.api.post('/api/notebooks', { workspaceId: owner.workspaceId, name })).json.id as string;
  const client = connectCollab(server.url, notebookId, owner.token);
  await client.synced();
  const cells = cellsOf(client.doc);
  client.doc.transact(() => {
    (cells.get(0).get(CELL_KEYS.source) as Y.Text).insert(0, sources[0]!);
    cells.push(sources.slice(1).map((source) => createYCell({ cell_type: 'code', source })));
  });
  const cellIds = cells.toArray().map((c) => String(c.get(CELL_KEYS.id)));
  const check = connectCollab(server.url, notebookId, owner.token);
  await eventually(
    async () => {
      await check.synced();
      return cellsOf(check.doc).length === sources.length && cellToData(cellsOf(check.doc).get(sources.length - 1)).source !== '';
    },
    10_000,
    'the cells to reach the server',
  );
  check.destroy();
  client.destroy();
  return { notebookId, cellIds, name };
}

/** The text a cell printed so far, read live from the shared document. */
export function printed(client: CollabClient, cellId: string): string {
  const cell = cellsOf(client.doc)
    .toArray()
    .find((c) => String(c.get(CELL_KEYS.id)) === cellId);
  if (!cell) return '';
  return cellToData(cell)
    .outputs.map((o) => (o.output_type === 'stream' ? (Array.isArray(o.text) ? o.text.join('') : o.text) : ''))
    .join('');
}

/** Waits until a cell printed something matching `pattern`, and returns the match. */
export async function waitForPrinted(client: CollabClient, cellId: string, pattern: RegExp): Promise<RegExpMatchArray> {
  let match: RegExpMatchArray | null = null;
  await eventually(() => (match = printed(client, cellId).match(pattern)) !== null, 120_000, `cell output matching ${pattern}`);
  return match!;
}
