interface StoredCell {
  id: string;
  cell_type: string;
  source: string | string[];
}

/**
 * The code cells of a notebook version up to (and with) the given cell, in order: what a headless
 * re-run (a retraining, a background training) executes so the cell finds the data and helpers the
 * earlier cells define. Without a cell id (or one not found), every code cell.
 */
export function cellsToRun(
  content: { cells: StoredCell[] },
  lastCellId: string | null,
): Array<{ id: string; cell_type: string; source: string }> {
  const code = content.cells
    .map((c) => ({ id: c.id, cell_type: c.cell_type, source: typeof c.source === 'string' ? c.source : c.source.join('') }))
    .filter((c) => c.cell_type === 'code' && c.source.trim() !== '');
  const end = lastCellId ? code.findIndex((c) => c.id === lastCellId) : -1;
  return end >= 0 ? code.slice(0, end + 1) : code;
}
