import { readFile } from 'node:fs/promises';
import * as Y from 'yjs';
import { assertNever } from '../../core/assert-never';
import { DatasetError, profileDataset, readDataset, type DatasetFormat } from '../../core/datasets/dataset-table';
import { fromIpynb, IpynbError } from '../../core/notebook/ipynb';
import type { NotebookData } from '../../core/contracts/notebook-schema';
import { cellsOf, createYCell, initNotebookDoc } from '../../core/notebook/notebook-doc';

// Runs inside a worker thread (see heavy-work.ts): parsing that grows with what a caller sends, so a
// 100k-column CSV or a 20k-cell notebook occupies a thread of the pool, never the request thread.

export type HeavyTask =
  { kind: 'dataset-profile'; path: string; format: DatasetFormat; maxColumns: number } | { kind: 'notebook-import'; bytes: Uint8Array };

/** A file the caller sent that cannot be read: the message is theirs to see (a 400). */
export interface RefusedInput {
  refused: string;
}

export interface DatasetProfileResult {
  rows: number;
  schema: ReturnType<typeof profileDataset>['schema'];
  profile: ReturnType<typeof profileDataset>['profile'];
}

export interface NotebookImportResult {
  /** The request's other fields, for the caller to validate (they are small). */
  fields: Record<string, unknown>;
  /** The first document state as a sequence of updates, ready to store in order. */
  updates: Uint8Array[];
  title: string | undefined;
  cells: number;
}

export type HeavyResult<T extends HeavyTask> = T extends { kind: 'dataset-profile' }
  ? DatasetProfileResult | RefusedInput
  : NotebookImportResult | RefusedInput;

async function datasetProfile(path: string, format: DatasetFormat, maxColumns: number): Promise<DatasetProfileResult | RefusedInput> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(path));
  } catch (error) {
    if (error instanceof TypeError) return { refused: 'the file is not UTF-8 text' };
    throw error;
  }
  if (text.includes('\u0000')) return { refused: 'the file contains NUL bytes; a dataset is text' };
  try {
    const table = readDataset(text, format);
    // Each column's profile (quantiles, histogram, top values) is stored and sent with the version:
    // past this many columns that record alone would be tens of megabytes.
    if (table.columns.length > maxColumns)
      return { refused: `the file has ${table.columns.length} columns; a dataset may have at most ${maxColumns}` };
    return { rows: table.rows, ...profileDataset(table) };
  } catch (error) {
    if (error instanceof DatasetError) return { refused: `not a ${format === 'csv' ? 'CSV' : 'JSON lines'} dataset: ${error.message}` };
    throw error;
  }
}

function notebookImport(bytes: Uint8Array): NotebookImportResult | RefusedInput {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    return { refused: `malformed JSON body: ${(error as Error).message}` };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { refused: 'the body must be a JSON object' };
  const { ipynb, ...fields } = body as Record<string, unknown>;
  if (ipynb === undefined) return { refused: 'invalid body: ipynb: the .ipynb file (its JSON, or the text) is required' };
  let content;
  try {
    content = fromIpynb(ipynb);
  } catch (error) {
    if (error instanceof IpynbError) return { refused: `not a notebook Ferry can import: ${error.message}` };
    throw error;
  }
  const title = typeof content.metadata.title === 'string' ? content.metadata.title : undefined;
  return { fields, updates: documentInPieces(content), title, cells: content.cells.length };
}

const CELLS_PER_PIECE = 500;

/**
 * The document as a few updates of a few hundred cells each rather than one: the embedded database
 * works on the request thread, and several small writes let other requests run between them.
 */
function documentInPieces(content: NotebookData): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  initNotebookDoc(doc, { ...content, cells: content.cells.slice(0, CELLS_PER_PIECE) });
  for (let i = CELLS_PER_PIECE; i < content.cells.length; i += CELLS_PER_PIECE) {
    const piece = content.cells.slice(i, i + CELLS_PER_PIECE);
    doc.transact(() => cellsOf(doc).push(piece.map((c) => createYCell(c))));
  }
  doc.destroy();
  return updates;
}

/** The worker thread's entry: one task in, its result out. */
export default async function runHeavyTask(task: HeavyTask): Promise<unknown> {
  switch (task.kind) {
    case 'dataset-profile':
      return datasetProfile(task.path, task.format, task.maxColumns);
    case 'notebook-import':
      return notebookImport(task.bytes);
    default:
      return assertNever(task);
  }
}
