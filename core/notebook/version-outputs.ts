import type { CellOutput } from '../contracts/messages/outputs';
import type { NotebookData } from '../contracts/notebook-schema';

// Outputs kept with a notebook version: what each cell showed when the version was taken. They are
// not part of the version's content hash (re-running a cell does not make a new version), but a
// restore brings them back with the cells, and a diff can say whose outputs changed.

export type VersionOutputs = Record<string, { outputs: CellOutput[]; execution_count: number | null }>;

/** The outputs of every cell that has any, by cell id. */
export function outputsOf(data: NotebookData): VersionOutputs {
  const out: VersionOutputs = {};
  for (const cell of data.cells)
    if (cell.outputs.length || cell.execution_count !== null)
      out[cell.id] = { outputs: cell.outputs, execution_count: cell.execution_count };
  return out;
}

/** Cell ids whose outputs differ between two versions (added, removed or changed). */
export function outputChanges(a: VersionOutputs | null, b: VersionOutputs | null): string[] {
  const left = a ?? {};
  const right = b ?? {};
  const ids = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...ids].filter((id) => JSON.stringify(left[id]?.outputs ?? []) !== JSON.stringify(right[id]?.outputs ?? [])).sort();
}
