// Whether a notebook's code honours `ferry.params.dataRef` (the newer data a retraining passes), and
// which cells name a dataset literally: a retraining of a notebook that hard-codes its data would
// train on the same data again while claiming the new.

const READS_DATA_REF =
  /\bparams\s*(?:\?\.|\.)\s*dataRef\b|\bparams\s*(?:\?\.)?\[\s*(['"`])dataRef\1\s*\]|\bparams\.get\(\s*(['"])dataRef\2/;
const LITERAL_DATASET = /\b(?:useDataset|use_dataset)\(\s*(['"`])([^'"`]+)\1\s*\)/g;

export interface DataRefUsage {
  readsDataRef: boolean;
  /** Cells that read a dataset by a literal name, with the names, in notebook order. */
  hardCoded: Array<{ cellId: string; position: number; refs: string[] }>;
}

/** Scans code cells (in order; position is 1-based among them) for reads of dataRef and literal datasets. */
export function dataRefUsage(cells: ReadonlyArray<{ id: string; source: string }>): DataRefUsage {
  const hardCoded: DataRefUsage['hardCoded'] = [];
  let readsDataRef = false;
  cells.forEach((cell, i) => {
    if (READS_DATA_REF.test(cell.source)) readsDataRef = true;
    const refs = [...cell.source.matchAll(LITERAL_DATASET)].map((m) => m[2]!);
    if (refs.length) hardCoded.push({ cellId: cell.id, position: i + 1, refs });
  });
  return { readsDataRef, hardCoded };
}
