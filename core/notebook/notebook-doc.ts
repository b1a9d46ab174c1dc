import * as Y from 'yjs';
import { CELL_KEYS, NOTEBOOK_ROOT, type CellData, type CellType, type NotebookData } from '../contracts/notebook-schema';
import type { CellOutput } from '../contracts/messages/outputs';

// Reading and writing the notebook Yjs document (schema in core/contracts/notebook-schema.ts).

export type YCell = Y.Map<unknown>;

export function cellsOf(doc: Y.Doc): Y.Array<YCell> {
  return doc.getArray<YCell>(NOTEBOOK_ROOT.cells);
}

export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(NOTEBOOK_ROOT.meta);
}

export function newCellId(): string {
  // 8 hex bytes like JupyterLab's short ids; collisions are checked by the validator.
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function createYCell(cell: Partial<CellData> & { cell_type: CellType }): YCell {
  const map = new Y.Map<unknown>();
  const source = new Y.Text();
  source.insert(0, cell.source ?? '');
  map.set(CELL_KEYS.id, cell.id ?? newCellId());
  map.set(CELL_KEYS.type, cell.cell_type);
  map.set(CELL_KEYS.source, source);
  map.set(CELL_KEYS.metadata, mapFrom(cell.metadata ?? {}));
  const outputs = new Y.Array<Y.Map<unknown>>();
  outputs.push((cell.outputs ?? []).map(outputToY));
  map.set(CELL_KEYS.outputs, outputs);
  map.set(CELL_KEYS.executionCount, cell.execution_count ?? null);
  map.set(CELL_KEYS.executionState, 'idle');
  map.set(CELL_KEYS.attachments, cell.attachments ?? null);
  return map;
}

export function outputToY(output: CellOutput): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(output)) map.set(k, v);
  return map;
}

function mapFrom(record: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(record)) map.set(k, v);
  return map;
}

/** Fills an empty document; called once by the server when a notebook is created, never by clients. */
export function initNotebookDoc(doc: Y.Doc, data?: Partial<NotebookData>): void {
  doc.transact(() => {
    const meta = metaOf(doc);
    meta.set('nbformat', 4);
    meta.set('nbformat_minor', data?.nbformat_minor ?? 5);
    meta.set(
      'metadata',
      mapFrom(data?.metadata ?? { kernelspec: { name: 'ferry-ts', display_name: 'TypeScript (Ferry)', language: 'typescript' } }),
    );
    const cells = data?.cells ?? [{ cell_type: 'code' as const, source: '' }];
    cellsOf(doc).push(cells.map((c) => createYCell(c)));
  });
}

export function findCell(doc: Y.Doc, cellId: string): { cell: YCell; index: number } | null {
  const cells = cellsOf(doc);
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.get(CELL_KEYS.id) === cellId) return { cell, index: i };
  }
  return null;
}

export function cellSource(cell: YCell): string {
  const source = cell.get(CELL_KEYS.source);
  return source instanceof Y.Text ? source.toString() : String(source ?? '');
}

export function cellToData(cell: YCell): CellData {
  const metadata = cell.get(CELL_KEYS.metadata);
  const outputs = cell.get(CELL_KEYS.outputs);
  const count = cell.get(CELL_KEYS.executionCount);
  return {
    id: String(cell.get(CELL_KEYS.id)),
    cell_type: (cell.get(CELL_KEYS.type) as CellType) ?? 'code',
    source: cellSource(cell),
    metadata: metadata instanceof Y.Map ? (metadata.toJSON() as Record<string, unknown>) : {},
    outputs: outputs instanceof Y.Array ? (outputs.toJSON() as CellOutput[]) : [],
    // Yjs stores numbers as floats: cast counts back to integers.
    execution_count: typeof count === 'number' ? Math.round(count) : null,
    execution_state: (cell.get(CELL_KEYS.executionState) as CellData['execution_state']) ?? 'idle',
    attachments: (cell.get(CELL_KEYS.attachments) as Record<string, unknown> | null) ?? null,
  };
}

export function notebookToData(doc: Y.Doc): NotebookData {
  const meta = metaOf(doc);
  const metadata = meta.get('metadata');
  return {
    cells: cellsOf(doc).toArray().map(cellToData),
    nbformat: 4,
    nbformat_minor: Math.round(Number(meta.get('nbformat_minor') ?? 5)),
    metadata: metadata instanceof Y.Map ? (metadata.toJSON() as Record<string, unknown>) : {},
  };
}
