'use client';

import Editor, { loader } from '@monaco-editor/react';
import { useFormDialog } from './form-dialog';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { CellOutput } from '../../core/contracts/messages/outputs';
import { CELL_KEYS, type CellData } from '../../core/contracts/notebook-schema';
import { closeCodes, noReconnectCodes } from '../../core/contracts/close-codes';
import { KERNEL_GLOBALS_DTS, KERNEL_GLOBALS_PATH, KERNEL_IGNORED_DIAGNOSTICS } from '../../core/notebook/kernel-globals';
import { cellsOf, cellToData, createYCell, type YCell } from '../../core/notebook/notebook-doc';
import { presenceUser } from '../../core/notebook/presence';
import { api } from '../_lib/api';
import { renderMarkdown } from '../_lib/markdown';
import { bindCellEditor } from '../_lib/ytext-monaco-binding';
import { CellOutputs } from './cell-output';
import { CellComments, type CellComment } from './cell-comments';
import { TRAINING_QUEUED_EVENT } from './trainings-panel';
import { usePolled } from '../_lib/use-workspace-data';
import { commandKeyAction, NOTEBOOK_ACTIONS, type NotebookActionId } from '../_lib/notebook-keys';
import { CommandPalette, ConfirmDialog, ShortcutsSheet } from './notebook-dialogs';
import { ExecutionQueue } from './execution-queue';

// Monaco comes from our own server, copied out of node_modules at build time; never a CDN.
loader.config({ paths: { vs: '/monaco/vs' } });

const DRAG_TYPE = 'application/x-ferry-cell-index';

let kernelTypesInstalled = false;
/** Once per page: the cell globals (`ferry`, `tf`, `display`) for the TypeScript language service. */
function installKernelTypes(monaco: Parameters<typeof bindCellEditor>[0]['monaco']) {
  if (kernelTypesInstalled) return;
  kernelTypesInstalled = true;
  // monaco 0.57 moved the TypeScript API to `monaco.typescript`; the AMD bundle still hangs it on `languages`.
  type TsApi = (typeof monaco)['typescript'];
  const api = monaco.typescript ?? (monaco.languages as unknown as { typescript: TsApi }).typescript;
  const ts = api.typescriptDefaults;
  ts.addExtraLib(KERNEL_GLOBALS_DTS, KERNEL_GLOBALS_PATH);
  ts.setCompilerOptions({ ...ts.getCompilerOptions(), target: api.ScriptTarget.ES2020, allowNonTsExtensions: true });
  ts.setDiagnosticsOptions({ ...ts.getDiagnosticsOptions(), diagnosticCodesToIgnore: KERNEL_IGNORED_DIAGNOSTICS });
}

interface Peer {
  clientId: number;
  name: string;
  color: string;
}

export function NotebookView(props: { notebookId: string; readOnly: boolean; user: { id: string; email: string; name: string } }) {
  const { notebookId, readOnly, user } = props;
  const doc = useMemo(() => new Y.Doc(), []);
  const formDialog = useFormDialog();
  const [provider, setProvider] = useState<WebsocketProvider | null>(null);
  const [cells, setCells] = useState<Array<{ y: YCell; data: CellData }>>([]);
  const [status, setStatus] = useState('connecting');
  const [peers, setPeers] = useState<Peer[]>([]);
  const [error, setError] = useState<string | null>(null);
  const { data: comments, reload: reloadComments } = usePolled(
    `/api/notebooks/${notebookId}/comments`,
    (j) => (j as { comments: CellComment[] }).comments,
    3000,
  );

  // Selection (JupyterLab's): one active cell, a range of selected cells, and a mode that follows focus.
  const [activeId, setActiveId] = useState<string | null>(null);
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [mode, setMode] = useState<'command' | 'edit'>('command');
  const [mdEditing, setMdEditing] = useState<Set<string>>(new Set());
  const [outputView, setOutputView] = useState<Record<string, { collapsed?: boolean; scrolled?: boolean }>>({});
  const [dialog, setDialog] = useState<'palette' | 'help' | 'restart' | null>(null);
  const anchorRef = useRef<string | null>(null);
  const selectedRef = useRef<string[]>([]);
  selectedRef.current = selectedIds;
  const activeRef = useRef<string | null>(null);
  activeRef.current = activeId;
  const cellsRef = useRef(cells);
  cellsRef.current = cells;
  const cellEls = useRef(new Map<string, HTMLDivElement>());
  const editors = useRef(new Map<string, { focus(): void }>());
  const pendingFocus = useRef<{ id: string; mode: 'command' | 'edit' } | null>(null);
  const lastKey = useRef<{ key: string; at: number } | null>(null);
  const clipboard = useRef<CellData[]>([]);
  const deletedStack = useRef<Array<{ index: number; cells: CellData[] }>>([]);

  useEffect(() => {
    const url = `${window.location.origin.replace(/^http/, 'ws')}/yjs`;
    // BroadcastChannel is off: every tab goes through the server, which enforces read-only.
    const p = new WebsocketProvider(url, notebookId, doc, { disableBc: true });
    // The server rewrites this from the signed-in account anyway; set here so it shows before the round trip.
    p.awareness.setLocalStateField('user', presenceUser(user));
    p.on('status', ({ status: s }: { status: string }) => setStatus(s));
    p.on('connection-close', (event: CloseEvent | null) => {
      if (event && noReconnectCodes.has(event.code)) {
        // Reconnecting would resend the same refused state and be closed again, in a loop.
        p.shouldConnect = false;
        const refused = ([closeCodes.tooLarge.code, closeCodes.malformed.code, closeCodes.schemaViolation.code] as number[]).includes(
          event.code,
        );
        setError(
          `${event.reason || 'disconnected'} (${event.code})${refused ? ': that change was not saved; reload the page to continue from the saved notebook' : ''}`,
        );
      }
    });
    const cellsArray = cellsOf(doc);
    const refresh = () => setCells(cellsArray.toArray().map((y) => ({ y, data: cellToData(y) })));
    cellsArray.observeDeep(refresh);
    const onAwareness = () =>
      setPeers(
        [...p.awareness.getStates().entries()]
          .filter(([id, s]) => id !== p.awareness.clientID && s.user)
          .map(([id, s]) => ({ clientId: id, name: (s.user as { name: string }).name, color: (s.user as { color: string }).color })),
      );
    p.awareness.on('change', onAwareness);
    setProvider(p);
    refresh();
    return () => {
      cellsArray.unobserveDeep(refresh);
      p.destroy();
    };
  }, [doc, notebookId, user]);

  // A selected cell removed (by us or a co-editor) hands the selection to its neighbour.
  useEffect(() => {
    const ids = cells.map((c) => c.data.id);
    if (activeId && !ids.includes(activeId)) setActiveId(ids[Math.min(ids.length - 1, Math.max(0, cells.length - 1))] ?? null);
    if (selectedIds.some((id) => !ids.includes(id))) setSelectedIds(selectedIds.filter((id) => ids.includes(id)));
  }, [cells, activeId, selectedIds]);

  /** Focus asked for before the cell (or its editor) existed happens once it does. */
  const flushFocus = () => {
    const want = pendingFocus.current;
    if (!want) return;
    if (want.mode === 'edit') {
      const ed = editors.current.get(want.id);
      if (!ed) return;
      pendingFocus.current = null;
      ed.focus();
    } else {
      const el = cellEls.current.get(want.id);
      if (!el) return;
      pendingFocus.current = null;
      el.focus();
      el.scrollIntoView({ block: 'nearest' });
    }
  };
  useEffect(() => flushFocus());

  const selectOnly = (id: string) => {
    anchorRef.current = id;
    setActiveId(id);
    setSelectedIds([id]);
  };
  /** Command mode on a cell: it has focus and keys act on it. */
  const commandOn = (id: string) => {
    selectOnly(id);
    setMode('command');
    pendingFocus.current = { id, mode: 'command' };
    flushFocus();
  };
  const editOn = (id: string) => {
    selectOnly(id);
    setMode('edit');
    const cell = cellsRef.current.find((c) => c.data.id === id);
    if (cell?.data.cell_type === 'markdown') setMdEditing((s) => new Set(s).add(id));
    pendingFocus.current = { id, mode: 'edit' };
    flushFocus();
  };
  const onCellFocus = (id: string, how: 'command' | 'edit') => {
    setActiveId(id);
    setMode(how);
    if (!selectedRef.current.includes(id) || how === 'edit') {
      anchorRef.current = id;
      setSelectedIds([id]);
    }
  };

  const indexOf = (id: string | null) => cellsRef.current.findIndex((c) => c.data.id === id);
  /** The selected cells' indices in notebook order (the active cell when nothing else is). */
  const selectedIndices = () => {
    const ids = selectedRef.current.length ? selectedRef.current : activeRef.current ? [activeRef.current] : [];
    return ids
      .map((id) => indexOf(id))
      .filter((i) => i >= 0)
      .sort((a, b) => a - b);
  };

  // Every cell change is a Yjs operation on the shared document, so co-editors see it at once.
  const insertCell = (index: number, type: 'code' | 'markdown' | 'raw' = 'code', from?: Partial<CellData>): string => {
    const y = createYCell({ ...from, cell_type: type, source: from?.source ?? '' });
    cellsOf(doc).insert(Math.max(0, Math.min(index, cellsOf(doc).length)), [y]);
    return String(y.get(CELL_KEYS.id));
  };
  const moveCell = (from: number, to: number) => {
    const arr = cellsOf(doc);
    if (to < 0 || to >= arr.length) return;
    // Yjs has no move: the cell is re-created at the new place with the same id and content.
    doc.transact(() => {
      const data = cellToData(arr.get(from));
      arr.delete(from, 1);
      arr.insert(to, [createYCell(data)]);
    });
  };
  const deleteCells = (indices: number[], remember = true) => {
    if (indices.length === 0) return;
    const arr = cellsOf(doc);
    const removed = indices.map((i) => cellToData(arr.get(i)));
    if (remember) deletedStack.current.push({ index: indices[0]!, cells: removed });
    doc.transact(() => {
      for (const i of [...indices].reverse()) arr.delete(i, 1);
      // Like Jupyter, a notebook keeps one cell.
      if (arr.length === 0) arr.insert(0, [createYCell({ cell_type: 'code', source: '' })]);
    });
    const next = Math.min(indices[0]!, arr.length - 1);
    commandOn(String(arr.get(next).get(CELL_KEYS.id)));
  };
  const setType = (index: number, type: 'code' | 'markdown' | 'raw') => cellsOf(doc).get(index).set(CELL_KEYS.type, type);
  const clearOutputs = (index: number) => {
    const y = cellsOf(doc).get(index);
    const outputs = y.get(CELL_KEYS.outputs);
    doc.transact(() => {
      if (outputs instanceof Y.Array && outputs.length) outputs.delete(0, outputs.length);
      y.set(CELL_KEYS.executionCount, null);
    });
  };

  const runFrom = async (fromCellId?: string) => {
    setError(null);
    try {
      await api('POST', `/api/notebooks/${notebookId}/run`, fromCellId ? { fromCellId } : {});
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const train = async (cellId: string) => {
    const values = await formDialog.ask({
      title: 'Train in the background',
      message: 'The code cells up to this one run on a worker, outliving this page; progress shows below.',
      fields: [{ name: 'need', label: 'Needs (blank: any worker; "gpu"; or a worker label)', placeholder: 'gpu' }],
      confirmLabel: 'Queue training',
    });
    if (!values) return;
    const trimmed = (values.need ?? '').trim();
    const requirements = trimmed === '' ? {} : trimmed.toLowerCase() === 'gpu' ? { gpu: true } : { label: trimmed };
    setError(null);
    try {
      await api('POST', `/api/notebooks/${notebookId}/cells/${cellId}/train`, { requirements });
      window.dispatchEvent(new Event(TRAINING_QUEUED_EVENT));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const run = async (cellId: string) => {
    setError(null);
    try {
      await api('POST', `/api/notebooks/${notebookId}/cells/${cellId}/run`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const kernel = (action: 'interrupt' | 'restart') =>
    void api('POST', `/api/notebooks/${notebookId}/kernel/${action}`).catch((e: Error) => setError(e.message));

  /** Runs the selected cells in order (code is queued on the kernel; markdown is rendered). */
  const runSelected = (indices: number[]) => {
    const done: string[] = [];
    for (const i of indices) {
      const cell = cellsRef.current[i];
      if (!cell) continue;
      if (cell.data.cell_type === 'code' && !readOnly) void run(cell.data.id);
      done.push(cell.data.id);
    }
    setMdEditing((s) => {
      const n = new Set(s);
      for (const id of done) n.delete(id);
      return n;
    });
  };

  /** One place for every notebook action, from a key, the palette or a button. */
  const perform = (actionId: NotebookActionId, fromId?: string) => {
    const spec = NOTEBOOK_ACTIONS.find((a) => a.id === actionId);
    if (spec?.edits && readOnly) return;
    if (fromId && !selectedRef.current.includes(fromId)) selectOnly(fromId);
    const activeIndex = fromId ? indexOf(fromId) : indexOf(activeRef.current);
    const indices = fromId && !selectedRef.current.includes(fromId) ? [activeIndex] : selectedIndices();
    const last = indices.length ? indices[indices.length - 1]! : activeIndex;
    const idAt = (i: number) => cellsRef.current[i]?.data.id;
    const forEach = (fn: (i: number) => void) => doc.transact(() => indices.forEach(fn));
    switch (actionId) {
      case 'run-and-select-next': {
        runSelected(indices);
        if (last >= cellsRef.current.length - 1) editOn(insertCell(last + 1, 'code'));
        else commandOn(idAt(last + 1)!);
        return;
      }
      case 'run-in-place':
        runSelected(indices);
        if (cellsRef.current[activeIndex]?.data.cell_type === 'markdown') commandOn(idAt(activeIndex)!);
        return;
      case 'run-and-insert-below':
        runSelected(indices);
        editOn(insertCell(last + 1, 'code'));
        return;
      case 'run-all':
        void runFrom();
        return;
      case 'enter-edit':
        if (activeIndex >= 0) editOn(idAt(activeIndex)!);
        return;
      case 'leave-edit':
        if (activeIndex >= 0) commandOn(idAt(activeIndex)!);
        return;
      case 'insert-above':
        commandOn(insertCell(Math.max(0, indices[0] ?? 0), 'code'));
        return;
      case 'insert-below':
        commandOn(insertCell(last + 1, 'code'));
        return;
      case 'copy':
      case 'cut':
        clipboard.current = indices.map((i) => cellsRef.current[i]!.data);
        if (actionId === 'cut') deleteCells(indices);
        return;
      case 'paste-below': {
        if (!clipboard.current.length) return;
        let at = last + 1;
        let lastId = '';
        doc.transact(() => {
          for (const c of clipboard.current) lastId = insertCell(at++, c.cell_type, { ...c, id: undefined });
        });
        commandOn(lastId);
        return;
      }
      case 'delete':
        deleteCells(indices);
        return;
      case 'undo-delete': {
        const undo = deletedStack.current.pop();
        if (!undo) return;
        const existing = new Set(cellsRef.current.map((c) => c.data.id));
        let firstId = '';
        doc.transact(() => {
          undo.cells.forEach((c, k) => {
            const id = insertCell(undo.index + k, c.cell_type, { ...c, id: existing.has(c.id) ? undefined : c.id });
            if (k === 0) firstId = id;
          });
        });
        commandOn(firstId);
        return;
      }
      case 'to-markdown':
      case 'to-code':
      case 'to-raw':
        forEach((i) => setType(i, actionId === 'to-markdown' ? 'markdown' : actionId === 'to-code' ? 'code' : 'raw'));
        return;
      case 'select-up':
      case 'select-down':
      case 'extend-up':
      case 'extend-down': {
        const delta = actionId.endsWith('up') ? -1 : 1;
        const next = Math.max(0, Math.min(cellsRef.current.length - 1, activeIndex + delta));
        const nextId = idAt(next);
        if (!nextId) return;
        if (actionId.startsWith('select')) return commandOn(nextId);
        const anchor = Math.max(0, indexOf(anchorRef.current ?? nextId));
        const [lo, hi] = [Math.min(anchor, next), Math.max(anchor, next)];
        const range = cellsRef.current.slice(lo, hi + 1).map((c) => c.data.id);
        setSelectedIds(range);
        selectedRef.current = range;
        setActiveId(nextId);
        pendingFocus.current = { id: nextId, mode: 'command' };
        flushFocus();
        return;
      }
      case 'move-up':
      case 'move-down': {
        const to = activeIndex + (actionId === 'move-up' ? -1 : 1);
        const id = idAt(activeIndex);
        moveCell(activeIndex, to);
        if (id) commandOn(id);
        return;
      }
      case 'toggle-output':
      case 'toggle-output-scroll':
        setOutputView((v) => {
          const n = { ...v };
          for (const i of indices) {
            const id = idAt(i)!;
            const cur = n[id] ?? {};
            n[id] = actionId === 'toggle-output' ? { ...cur, collapsed: !cur.collapsed } : { ...cur, scrolled: !cur.scrolled };
          }
          return n;
        });
        return;
      case 'clear-output':
        forEach(clearOutputs);
        return;
      case 'restart-kernel':
        setDialog('restart');
        return;
      case 'interrupt-kernel':
        kernel('interrupt');
        return;
      case 'command-palette':
        setDialog('palette');
        return;
      case 'shortcuts-help':
        setDialog('help');
        return;
    }
  };
  const performRef = useRef(perform);
  performRef.current = perform;
  const onEditorAction = useCallback((id: string, action: NotebookActionId) => performRef.current(action, id), []);

  /** Command-mode keys: the selected cell (or the notebook) has focus, not an editor or a control. */
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (dialog) return;
    const target = e.target as HTMLElement;
    if (!target.matches('[data-testid=cell], [data-testid=notebook]')) return;
    const { action, remember } = commandKeyAction(e, lastKey.current, Date.now());
    lastKey.current = remember;
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    if (action !== 'pending') perform(action);
  };

  const queueCells = useMemo(() => cells.map(({ data }) => ({ id: data.id, name: cellName(data), state: data.execution_state })), [cells]);

  return (
    // The dialog sits outside the notebook's key handler: what is typed in it is not a command.
    <>
      {formDialog.element}
      <div className="notebook" data-testid="notebook" data-mode={mode} onKeyDown={onKeyDown}>
        <div className="row">
          <span className="badge" data-testid="connection-state">
            {status === 'connected' ? 'connected' : status === 'connecting' ? 'connecting…' : 'offline (edits kept, merged on reconnect)'}
          </span>
          {readOnly && <span className="badge">read-only</span>}
          <span className="badge muted" data-testid="notebook-mode" title="Esc: command mode; Enter: edit mode">
            {mode === 'edit' ? 'edit' : 'command'}
          </span>
          <span className="spacer" />
          {peers.map((peer) => (
            <span key={peer.clientId} className="avatar" title={peer.name} style={{ background: peer.color }} data-testid="presence-avatar">
              {peer.name.slice(0, 2).toUpperCase()}
            </span>
          ))}
          <a className="small" href={`/api/notebooks/${notebookId}/export?format=ipynb`} data-testid="export-ipynb">
            Export .ipynb
          </a>
          <a className="small" href={`/api/notebooks/${notebookId}/export?format=ts`}>
            Export .ts
          </a>
          <button
            className="secondary"
            onClick={() => setDialog('palette')}
            data-testid="open-palette"
            title="Command palette (Ctrl/Cmd+Shift+P)"
          >
            Commands
          </button>
          <button
            className="secondary"
            onClick={() => setDialog('help')}
            data-testid="open-shortcuts"
            title="Keyboard shortcuts (H)"
            aria-label="Keyboard shortcuts"
          >
            ?
          </button>
          {!readOnly && (
            <>
              <button className="secondary" onClick={() => void runFrom()} data-testid="run-all">
                Run all
              </button>
              <button className="secondary" onClick={() => kernel('interrupt')}>
                Interrupt
              </button>
              <button className="secondary" onClick={() => setDialog('restart')} data-testid="restart-kernel">
                Restart kernel
              </button>
            </>
          )}
        </div>
        {error && <p className="error">{error}</p>}
        {cells.map(({ y, data }, index) => (
          <CellView
            key={data.id}
            ycell={y}
            data={data}
            provider={provider}
            readOnly={readOnly}
            active={activeId === data.id}
            selected={selectedIds.includes(data.id)}
            editMode={mode === 'edit' && activeId === data.id}
            editing={data.cell_type !== 'markdown' || mdEditing.has(data.id)}
            setEditing={(on) =>
              setMdEditing((s) => {
                const n = new Set(s);
                if (on) n.add(data.id);
                else n.delete(data.id);
                return n;
              })
            }
            outputView={outputView[data.id] ?? {}}
            onAction={onEditorAction}
            onFocusCell={onCellFocus}
            registerEl={(el) => (el ? cellEls.current.set(data.id, el) : cellEls.current.delete(data.id))}
            registerEditor={(ed) => {
              if (ed) editors.current.set(data.id, ed);
              else editors.current.delete(data.id);
              flushFocus();
            }}
            onRun={() => perform('run-in-place', data.id)}
            onTrain={() => void train(data.id)}
            onRunBelow={() => void runFrom(data.id)}
            comments={(comments ?? []).filter((c) => c.cellId === data.id)}
            onCommentsChanged={() => void reloadComments()}
            notebookId={notebookId}
            userId={user.id}
            onAdd={(type, offset = 1) => commandOn(insertCell(index + offset, type))}
            onDelete={() => deleteCells([index])}
            onMove={(delta) => moveCell(index, index + delta)}
            onDropCell={(from) => moveCell(from, index)}
            index={index}
            onType={(type) => setType(index, type)}
            onClearOutput={() => clearOutputs(index)}
            onToggleOutput={() => perform('toggle-output', data.id)}
            onToggleScroll={() => perform('toggle-output-scroll', data.id)}
          />
        ))}
        {!readOnly && cells.length === 0 && <button onClick={() => insertCell(0, 'code')}>Add a cell</button>}
        <ExecutionQueue notebookId={notebookId} cells={queueCells} />
        {dialog === 'palette' && (
          <CommandPalette
            actions={NOTEBOOK_ACTIONS.filter((a) => !(readOnly && a.edits))}
            onRun={(id) => {
              setDialog(null);
              // Back to the cell first, so the action acts on it (and command mode keys keep working).
              if (activeRef.current) commandOn(activeRef.current);
              if (id !== 'command-palette') perform(id);
            }}
            onClose={() => {
              setDialog(null);
              if (activeRef.current) commandOn(activeRef.current);
            }}
          />
        )}
        {dialog === 'help' && (
          <ShortcutsSheet
            actions={NOTEBOOK_ACTIONS}
            onClose={() => {
              setDialog(null);
              if (activeRef.current) commandOn(activeRef.current);
            }}
          />
        )}
        {dialog === 'restart' && (
          <ConfirmDialog
            title="Restart the kernel?"
            body="Every variable in the kernel is lost; outputs stay."
            confirm="Restart"
            onConfirm={() => {
              setDialog(null);
              kernel('restart');
              if (activeRef.current) commandOn(activeRef.current);
            }}
            onCancel={() => {
              setDialog(null);
              if (activeRef.current) commandOn(activeRef.current);
            }}
          />
        )}
      </div>
    </>
  );
}

/** How a cell is named in lists: its execution count and first line. */
export function cellName(data: Pick<CellData, 'execution_count' | 'source' | 'cell_type'>): string {
  const first = data.source.split('\n').find((l) => l.trim()) ?? '';
  const line = first.trim().slice(0, 60) || '(empty)';
  return data.cell_type === 'code' ? `[${data.execution_count ?? ' '}] ${line}` : `${data.cell_type}: ${line}`;
}

function CommentIcon() {
  // An inline icon: Debian's Chromium has no emoji font, so 💬 showed as an empty box.
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false" style={{ verticalAlign: '-2px' }}>
      <path
        d="M2.5 2h11A1.5 1.5 0 0 1 15 3.5v7a1.5 1.5 0 0 1-1.5 1.5H7l-3.5 3v-3h-1A1.5 1.5 0 0 1 1 10.5v-7A1.5 1.5 0 0 1 2.5 2z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
        strokeLinejoin="round"
      />
    </svg>
  );
}

type EditorPair = {
  editor: Parameters<typeof bindCellEditor>[0]['editor'];
  monaco: Parameters<typeof bindCellEditor>[0]['monaco'];
};

function CellView(props: {
  ycell: YCell;
  data: CellData;
  provider: WebsocketProvider | null;
  readOnly: boolean;
  active: boolean;
  selected: boolean;
  editMode: boolean;
  editing: boolean;
  setEditing: (on: boolean) => void;
  outputView: { collapsed?: boolean; scrolled?: boolean };
  onAction: (cellId: string, action: NotebookActionId) => void;
  onFocusCell: (cellId: string, how: 'command' | 'edit') => void;
  registerEl: (el: HTMLDivElement | null) => void;
  registerEditor: (ed: { focus(): void } | null) => void;
  onRun: () => void;
  onTrain: () => void;
  onRunBelow: () => void;
  comments: CellComment[];
  onCommentsChanged: () => void;
  notebookId: string;
  userId: string;
  onAdd: (type: 'code' | 'markdown', offset?: 0 | 1) => void;
  onDelete: () => void;
  onMove: (delta: number) => void;
  onType: (type: 'code' | 'markdown' | 'raw') => void;
  onDropCell: (fromIndex: number) => void;
  onClearOutput: () => void;
  onToggleOutput: () => void;
  onToggleScroll: () => void;
  index: number;
}) {
  const { ycell, data, provider, readOnly, editing } = props;
  const containerRef = useRef<HTMLDivElement | null>(null);
  const [showComments, setShowComments] = useState(false);
  const openComments = props.comments.filter((c) => !c.resolvedAt).length;
  const [editorRef, setEditorRef] = useState<EditorPair | null>(null);
  const ytext = ycell.get(CELL_KEYS.source) as Y.Text;
  const { registerEditor, registerEl } = props;
  // The editor's actions read these through refs: they are registered once, when the editor mounts.
  const live = useRef(props);
  live.current = props;

  useEffect(() => {
    if (!editorRef || !provider) return;
    return bindCellEditor({ ytext, editor: editorRef.editor, monaco: editorRef.monaco, awareness: provider.awareness, cellId: data.id });
  }, [editorRef, provider, ytext, data.id]);
  useEffect(() => {
    if (!editorRef) return;
    registerEditor({ focus: () => editorRef.editor.focus() });
    return () => registerEditor(null);
    // registerEditor is a new function each render; the editor is what matters.
  }, [editorRef]);

  const showEditor = data.cell_type !== 'markdown' || editing;
  const lines = Math.max(3, data.source.split('\n').length + 1);
  const outputs = data.outputs as CellOutput[];
  return (
    <div
      className={`cell${data.execution_state !== 'idle' ? ' running' : ''}${props.selected ? ' selected' : ''}${props.active ? ' active' : ''}${props.editMode ? ' edit-mode' : ''}`}
      data-testid="cell"
      data-cell-id={data.id}
      data-selected={props.selected ? 'true' : undefined}
      ref={(el) => {
        containerRef.current = el;
        registerEl(el);
      }}
      tabIndex={0}
      onFocus={(e) => e.target === containerRef.current && props.onFocusCell(data.id, 'command')}
      onDragOver={(e) => !readOnly && e.dataTransfer.types.includes(DRAG_TYPE) && e.preventDefault()}
      onDrop={(e) => {
        const from = Number(e.dataTransfer.getData(DRAG_TYPE));
        if (!readOnly && Number.isInteger(from) && from !== props.index) props.onDropCell(from);
      }}
    >
      <div
        className="cell-bar"
        draggable={!readOnly}
        onDragStart={(e) => {
          e.dataTransfer.setData(DRAG_TYPE, String(props.index));
          e.dataTransfer.effectAllowed = 'move';
        }}
        title={readOnly ? undefined : 'Drag to move; Esc then Alt+↑/↓ also moves'}
      >
        <span className="muted small" data-testid="execution-count">
          {data.cell_type === 'code' ? `[${data.execution_state === 'idle' ? (data.execution_count ?? ' ') : '*'}]` : data.cell_type}
        </span>
        {data.execution_state !== 'idle' && (
          <span className="badge" data-testid="execution-state">
            {data.execution_state}
          </span>
        )}
        <span className="spacer" />
        <button
          className="link"
          onClick={() => setShowComments(!showComments)}
          data-testid="comments-toggle"
          title="Comments on this cell"
          aria-label="Comments on this cell"
        >
          <CommentIcon /> {openComments || ''}
        </button>
        {!readOnly && (
          <>
            {data.cell_type === 'code' && (
              <>
                <button
                  onClick={props.onRun}
                  data-testid="run-cell"
                  title="Run (Ctrl/Cmd+Enter; Shift+Enter runs and selects the next cell)"
                >
                  ▶ Run
                </button>
                <button className="link" onClick={props.onRunBelow} title="Run this cell and every cell below it">
                  ▶ and below
                </button>
                <button
                  className="link"
                  onClick={props.onTrain}
                  data-testid="train-cell"
                  title="Run with the cells above as a background training on a worker"
                >
                  Train in background
                </button>
              </>
            )}
            {data.cell_type === 'markdown' && (
              <button className="link" onClick={() => props.setEditing(!editing)}>
                {editing ? 'Preview' : 'Edit'}
              </button>
            )}
            <select value={data.cell_type} onChange={(e) => props.onType(e.target.value as 'code')} aria-label="cell type">
              <option value="code">code</option>
              <option value="markdown">markdown</option>
              <option value="raw">raw</option>
            </select>
            <button className="link" onClick={() => props.onMove(-1)} title="Move up">
              ↑
            </button>
            <button className="link" onClick={() => props.onMove(1)} title="Move down">
              ↓
            </button>
            <button className="link" onClick={() => props.onAdd('code')} data-testid="add-cell">
              + code
            </button>
            <button className="link" onClick={() => props.onAdd('markdown')}>
              + text
            </button>
            <button className="link" onClick={props.onDelete} title="Delete cell (Esc, D D)" data-testid="delete-cell">
              ✕
            </button>
          </>
        )}
      </div>
      {showEditor ? (
        <div data-testid="cell-editor">
          <Editor
            height={`${Math.min(lines, 40) * 19 + 8}px`}
            defaultLanguage={data.cell_type === 'code' ? 'typescript' : 'markdown'}
            defaultValue={ytext.toString()}
            path={`cell-${data.id}.${data.cell_type === 'code' ? 'ts' : 'md'}`}
            options={{
              readOnly,
              minimap: { enabled: false },
              scrollBeyondLastLine: false,
              lineNumbers: 'on',
              fontSize: 13,
              automaticLayout: true,
            }}
            beforeMount={installKernelTypes}
            onMount={(editor, monaco) => {
              // Per-editor actions (addAction scopes its keybinding to this editor; addCommand would
              // be global, and the last cell's handler would win for every editor).
              const act = (action: NotebookActionId) => () => live.current.onAction(live.current.data.id, action);
              const { KeyMod, KeyCode } = monaco;
              const add = (id: NotebookActionId, label: string, keybindings: number[], precondition?: string) =>
                editor.addAction({ id: `ferry.${id}`, label, keybindings, precondition, run: act(id) });
              add(
                'leave-edit',
                'Leave editor (command mode)',
                [KeyCode.Escape],
                '!suggestWidgetVisible && !findWidgetVisible && !parameterHintsVisible',
              );
              add('run-and-select-next', 'Run cell and select next', [KeyMod.Shift | KeyCode.Enter], '!suggestWidgetVisible');
              add('run-in-place', 'Run cell', [KeyMod.CtrlCmd | KeyCode.Enter], '!suggestWidgetVisible');
              add('run-and-insert-below', 'Run cell and insert below', [KeyMod.Alt | KeyCode.Enter], '!suggestWidgetVisible');
              add('command-palette', 'Notebook command palette', [KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.KeyP]);
              editor.onDidFocusEditorText(() => live.current.onFocusCell(live.current.data.id, 'edit'));
              setEditorRef({ editor, monaco });
            }}
          />
        </div>
      ) : (
        <div
          className="markdown"
          data-testid="markdown-rendered"
          onDoubleClick={() => !readOnly && props.onAction(data.id, 'enter-edit')}
          dangerouslySetInnerHTML={{ __html: renderMarkdown(data.source) }}
        />
      )}
      {outputs.length > 0 && (
        <div className="output-bar small">
          <button className="link" onClick={props.onToggleOutput} data-testid="toggle-output" title="Collapse / expand output (O)">
            {props.outputView.collapsed ? '▸ show output' : '▾ hide output'}
          </button>
          <button className="link" onClick={props.onToggleScroll} data-testid="toggle-scroll" title="Scroll long output (Shift+O)">
            {props.outputView.scrolled ? 'full height' : 'scroll'}
          </button>
          {!readOnly && (
            <button className="link" onClick={props.onClearOutput} data-testid="clear-output" title="Clear output">
              clear
            </button>
          )}
        </div>
      )}
      <CellOutputs outputs={outputs} collapsed={props.outputView.collapsed} scrolled={props.outputView.scrolled} />
      {showComments && (
        <CellComments
          notebookId={props.notebookId}
          cellId={data.id}
          comments={props.comments}
          userId={props.userId}
          readOnly={readOnly}
          onChange={props.onCommentsChanged}
        />
      )}
    </div>
  );
}
