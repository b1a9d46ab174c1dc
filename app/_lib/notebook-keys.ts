// The notebook's keyboard model (JupyterLab's): edit mode (a cell's editor has focus) and command
// mode (the selected cell has focus, keys act on cells). One table drives the key handling, the
// command palette and the shortcuts sheet, so they cannot disagree.

export type NotebookActionId =
  | 'run-and-select-next'
  | 'run-in-place'
  | 'run-and-insert-below'
  | 'run-all'
  | 'enter-edit'
  | 'leave-edit'
  | 'insert-above'
  | 'insert-below'
  | 'cut'
  | 'copy'
  | 'paste-below'
  | 'delete'
  | 'undo-delete'
  | 'to-markdown'
  | 'to-code'
  | 'to-raw'
  | 'select-up'
  | 'select-down'
  | 'extend-up'
  | 'extend-down'
  | 'move-up'
  | 'move-down'
  | 'toggle-output'
  | 'toggle-output-scroll'
  | 'clear-output'
  | 'restart-kernel'
  | 'interrupt-kernel'
  | 'command-palette'
  | 'shortcuts-help';

export interface NotebookAction {
  id: NotebookActionId;
  label: string;
  /** How the key is written in the palette and the help sheet ('' for palette-only actions). */
  keys: string;
  mode: 'command' | 'edit' | 'both';
  /** Changes the notebook (not offered to viewers). */
  edits?: boolean;
}

export const NOTEBOOK_ACTIONS: NotebookAction[] = [
  { id: 'run-and-select-next', label: 'Run cell and select next', keys: 'Shift+Enter', mode: 'both', edits: true },
  { id: 'run-in-place', label: 'Run cell', keys: 'Ctrl/Cmd+Enter', mode: 'both', edits: true },
  { id: 'run-and-insert-below', label: 'Run cell and insert below', keys: 'Alt+Enter', mode: 'both', edits: true },
  { id: 'run-all', label: 'Run all cells', keys: '', mode: 'both', edits: true },
  { id: 'enter-edit', label: 'Edit cell (edit mode)', keys: 'Enter', mode: 'command' },
  { id: 'leave-edit', label: 'Leave editor (command mode)', keys: 'Esc', mode: 'edit' },
  { id: 'insert-above', label: 'Insert cell above', keys: 'A', mode: 'command', edits: true },
  { id: 'insert-below', label: 'Insert cell below', keys: 'B', mode: 'command', edits: true },
  { id: 'cut', label: 'Cut cells', keys: 'X', mode: 'command', edits: true },
  { id: 'copy', label: 'Copy cells', keys: 'C', mode: 'command' },
  { id: 'paste-below', label: 'Paste cells below', keys: 'V', mode: 'command', edits: true },
  { id: 'delete', label: 'Delete cells', keys: 'D D', mode: 'command', edits: true },
  { id: 'undo-delete', label: 'Undo cell deletion', keys: 'Z', mode: 'command', edits: true },
  { id: 'to-markdown', label: 'Change to markdown', keys: 'M', mode: 'command', edits: true },
  { id: 'to-code', label: 'Change to code', keys: 'Y', mode: 'command', edits: true },
  { id: 'to-raw', label: 'Change to raw', keys: 'R', mode: 'command', edits: true },
  { id: 'select-up', label: 'Select cell above', keys: '↑ / K', mode: 'command' },
  { id: 'select-down', label: 'Select cell below', keys: '↓ / J', mode: 'command' },
  { id: 'extend-up', label: 'Extend selection above', keys: 'Shift+↑ / Shift+K', mode: 'command' },
  { id: 'extend-down', label: 'Extend selection below', keys: 'Shift+↓ / Shift+J', mode: 'command' },
  { id: 'move-up', label: 'Move cell up', keys: 'Alt+↑', mode: 'command', edits: true },
  { id: 'move-down', label: 'Move cell down', keys: 'Alt+↓', mode: 'command', edits: true },
  { id: 'toggle-output', label: 'Collapse / expand output', keys: 'O', mode: 'command' },
  { id: 'toggle-output-scroll', label: 'Scroll long output', keys: 'Shift+O', mode: 'command' },
  { id: 'clear-output', label: 'Clear output', keys: '', mode: 'command', edits: true },
  { id: 'restart-kernel', label: 'Restart kernel…', keys: '0 0', mode: 'command', edits: true },
  { id: 'interrupt-kernel', label: 'Interrupt kernel', keys: 'I I', mode: 'command', edits: true },
  { id: 'command-palette', label: 'Command palette', keys: 'Ctrl/Cmd+Shift+P', mode: 'both' },
  { id: 'shortcuts-help', label: 'Keyboard shortcuts', keys: 'H', mode: 'command' },
];

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** Keys pressed twice within this many ms count as a chord (d d, 0 0, i i). */
export const CHORD_MS = 800;

/** Shortcuts that work in both modes (the editor calls this too). */
export function globalKeyAction(e: KeyLike): NotebookActionId | null {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && e.shiftKey && e.key.toLowerCase() === 'p') return 'command-palette';
  if (e.key !== 'Enter') return null;
  if (e.shiftKey && !mod && !e.altKey) return 'run-and-select-next';
  if (mod && !e.shiftKey && !e.altKey) return 'run-in-place';
  if (e.altKey && !mod && !e.shiftKey) return 'run-and-insert-below';
  return null;
}

/**
 * The action for a key in command mode. `last` is the previous key and when it came, for chords;
 * returns the action (or 'pending' when the key starts a chord) and what to remember.
 */
export function commandKeyAction(
  e: KeyLike,
  last: { key: string; at: number } | null,
  now: number,
): { action: NotebookActionId | 'pending' | null; remember: { key: string; at: number } | null } {
  const global = globalKeyAction(e);
  if (global) return { action: global, remember: null };
  if (e.ctrlKey || e.metaKey) return { action: null, remember: null };
  const k = e.key;
  if (e.altKey) {
    if (k === 'ArrowUp') return { action: 'move-up', remember: null };
    if (k === 'ArrowDown') return { action: 'move-down', remember: null };
    return { action: null, remember: null };
  }
  const lower = k.length === 1 ? k.toLowerCase() : k;
  if (lower === 'd' || lower === '0' || lower === 'i') {
    if (!e.shiftKey && last && last.key === lower && now - last.at < CHORD_MS)
      return { action: lower === 'd' ? 'delete' : lower === '0' ? 'restart-kernel' : 'interrupt-kernel', remember: null };
    return { action: e.shiftKey ? null : 'pending', remember: e.shiftKey ? null : { key: lower, at: now } };
  }
  const plain: Record<string, NotebookActionId> = {
    Enter: 'enter-edit',
    a: 'insert-above',
    b: 'insert-below',
    x: 'cut',
    c: 'copy',
    v: 'paste-below',
    z: 'undo-delete',
    m: 'to-markdown',
    y: 'to-code',
    r: 'to-raw',
    k: 'select-up',
    j: 'select-down',
    ArrowUp: 'select-up',
    ArrowDown: 'select-down',
    o: 'toggle-output',
    h: 'shortcuts-help',
    '?': 'shortcuts-help',
  };
  if (e.shiftKey) {
    if (lower === 'ArrowUp' || lower === 'k') return { action: 'extend-up', remember: null };
    if (lower === 'ArrowDown' || lower === 'j') return { action: 'extend-down', remember: null };
    if (lower === 'o') return { action: 'toggle-output-scroll', remember: null };
    if (k === '?') return { action: 'shortcuts-help', remember: null };
    return { action: null, remember: null };
  }
  return { action: plain[lower] ?? null, remember: null };
}

/** Actions whose label or keys contain every word of the filter (the palette's search). */
export function filterActions(actions: NotebookAction[], filter: string): NotebookAction[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return actions.filter((a) => words.every((w) => `${a.label} ${a.keys}`.toLowerCase().includes(w)));
}

/**
 * The selection after moving (or extending) it by `delta` from `active`: indices, not ids, and
 * clamped to the notebook. Extending keeps `anchor` and selects every cell between it and the new active.
 */
export function moveSelection(
  count: number,
  active: number,
  anchor: number,
  delta: number,
  extend: boolean,
): { active: number; anchor: number; selected: number[] } {
  if (count === 0) return { active: -1, anchor: -1, selected: [] };
  const next = Math.max(0, Math.min(count - 1, active + delta));
  if (!extend) return { active: next, anchor: next, selected: [next] };
  const lo = Math.min(anchor, next);
  const hi = Math.max(anchor, next);
  return { active: next, anchor, selected: Array.from({ length: hi - lo + 1 }, (_, i) => lo + i) };
}
