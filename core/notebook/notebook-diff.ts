// Differences between two notebook versions, for the history view: cells matched by id (added,
// removed, modified, moved), and a line diff inside each changed cell. Pure and runtime-neutral.

export interface DiffCell {
  id: string;
  cell_type: string;
  source: string;
}

export type LineOp = 'same' | 'add' | 'del';
export interface LineChange {
  op: LineOp;
  text: string;
}

export type CellStatus = 'added' | 'removed' | 'modified' | 'unchanged';
export interface CellDiff {
  id: string;
  status: CellStatus;
  /** Kept, but its place relative to the other kept cells changed. */
  moved: boolean;
  fromIndex: number | null;
  toIndex: number | null;
  typeChange: { from: string; to: string } | null;
  lines: LineChange[];
}

export interface NotebookDiff {
  cells: CellDiff[];
  summary: Record<CellStatus | 'moved', number>;
}

/** Above this many line pairs a cell is shown as replaced rather than diffed line by line. */
const MAX_LINE_PAIRS = 4_000_000;

/** Longest common subsequence of two sequences, as index pairs in order. */
function lcsPairs<T>(a: readonly T[], b: readonly T[], equal: (x: T, y: T) => boolean): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  const table = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      table[at(i, j)] = equal(a[i]!, b[j]!) ? table[at(i + 1, j + 1)]! + 1 : Math.max(table[at(i + 1, j)]!, table[at(i, j + 1)]!);
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (equal(a[i]!, b[j]!)) {
      pairs.push([i++, j++]);
    } else if (table[at(i + 1, j)]! >= table[at(i, j + 1)]!) i++;
    else j++;
  }
  return pairs;
}

export function diffLines(from: string, to: string): LineChange[] {
  const a = from === '' ? [] : from.split('\n');
  const b = to === '' ? [] : to.split('\n');
  if (a.length * b.length > MAX_LINE_PAIRS)
    return [...a.map((text) => ({ op: 'del' as const, text })), ...b.map((text) => ({ op: 'add' as const, text }))];
  // Trim the common head and tail first: most edits touch a few lines of a long cell.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const out: LineChange[] = a.slice(0, head).map((text) => ({ op: 'same', text }));
  let i = 0;
  let j = 0;
  for (const [pi, pj] of lcsPairs(midA, midB, (x, y) => x === y)) {
    while (i < pi) out.push({ op: 'del', text: midA[i++]! });
    while (j < pj) out.push({ op: 'add', text: midB[j++]! });
    out.push({ op: 'same', text: midA[i]! });
    i++;
    j++;
  }
  while (i < midA.length) out.push({ op: 'del', text: midA[i++]! });
  while (j < midB.length) out.push({ op: 'add', text: midB[j++]! });
  for (const text of a.slice(a.length - tail)) out.push({ op: 'same', text });
  return out;
}

export function diffNotebooks(from: readonly DiffCell[], to: readonly DiffCell[]): NotebookDiff {
  const fromIndex = new Map(from.map((c, i) => [c.id, i]));
  const toIndex = new Map(to.map((c, i) => [c.id, i]));
  const keptFrom = from.filter((c) => toIndex.has(c.id)).map((c) => c.id);
  const keptTo = to.filter((c) => fromIndex.has(c.id)).map((c) => c.id);
  // Cells outside the longest run kept in order are the ones that moved.
  const inOrder = new Set(lcsPairs(keptFrom, keptTo, (x, y) => x === y).map(([i]) => keptFrom[i]!));

  const cells: CellDiff[] = to.map((cell, ti) => {
    const fi = fromIndex.get(cell.id);
    if (fi === undefined)
      return {
        id: cell.id,
        status: 'added',
        moved: false,
        fromIndex: null,
        toIndex: ti,
        typeChange: null,
        lines: diffLines('', cell.source),
      };
    const old = from[fi]!;
    const typeChange = old.cell_type !== cell.cell_type ? { from: old.cell_type, to: cell.cell_type } : null;
    const changed = old.source !== cell.source || typeChange !== null;
    return {
      id: cell.id,
      status: changed ? 'modified' : 'unchanged',
      moved: !inOrder.has(cell.id),
      fromIndex: fi,
      toIndex: ti,
      typeChange,
      lines: diffLines(old.source, cell.source),
    };
  });
  // Removed cells go after the nearest surviving cell that preceded them in the old version.
  from.forEach((cell, fi) => {
    if (toIndex.has(cell.id)) return;
    const removed: CellDiff = {
      id: cell.id,
      status: 'removed',
      moved: false,
      fromIndex: fi,
      toIndex: null,
      typeChange: null,
      lines: diffLines(cell.source, ''),
    };
    let at = 0;
    for (let k = 0; k < cells.length; k++) if ((cells[k]!.fromIndex ?? -1) < fi && cells[k]!.fromIndex !== null) at = k + 1;
    while (at < cells.length && cells[at]!.status === 'removed' && cells[at]!.fromIndex! < fi) at++;
    cells.splice(at, 0, removed);
  });
  const summary = { added: 0, removed: 0, modified: 0, unchanged: 0, moved: 0 };
  for (const c of cells) {
    summary[c.status]++;
    if (c.moved) summary.moved++;
  }
  return { cells, summary };
}

/** nbformat sources may be a string or a list of lines. */
export function sourceText(source: string | readonly string[]): string {
  return typeof source === 'string' ? source : source.join('');
}
