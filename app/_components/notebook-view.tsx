'use client';

import Editor, { loader } from '@monaco-editor/react';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
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

  const insertCell = (index: number, type: 'code' | 'markdown') =>
    cellsOf(doc).insert(index, [createYCell({ cell_type: type, source: '' })]);
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
  const setType = (index: number, type: 'code' | 'markdown' | 'raw') => cellsOf(doc).get(index).set(CELL_KEYS.type, type);
  const runFrom = async (fromCellId?: string) => {
    setError(null);
    try {
      await api('POST', `/api/notebooks/${notebookId}/run`, fromCellId ? { fromCellId } : {});
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const train = async (cellId: string) => {
    const need = window.prompt('Run as a background training. Needs (blank: any worker; "gpu"; or a worker label):', '');
    if (need === null) return;
    const trimmed = need.trim();
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

  return (
    <div>
      <div className="row">
        <span className="badge" data-testid="connection-state">
          {status === 'connected' ? 'connected' : status === 'connecting' ? 'connecting…' : 'offline (edits kept, merged on reconnect)'}
        </span>
        {readOnly && <span className="badge">read-only</span>}
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
        {!readOnly && (
          <>
            <button className="secondary" onClick={() => void runFrom()} data-testid="run-all">
              Run all
            </button>
            <button
              className="secondary"
              onClick={() => void api('POST', `/api/notebooks/${notebookId}/kernel/interrupt`).catch((e: Error) => setError(e.message))}
            >
              Interrupt
            </button>
            <button
              className="secondary"
              onClick={() => void api('POST', `/api/notebooks/${notebookId}/kernel/restart`).catch((e: Error) => setError(e.message))}
            >
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
          onRun={() => void run(data.id)}
          onTrain={() => void train(data.id)}
          onRunBelow={() => void runFrom(data.id)}
          comments={(comments ?? []).filter((c) => c.cellId === data.id)}
          onCommentsChanged={() => void reloadComments()}
          notebookId={notebookId}
          userId={user.id}
          onAdd={(type, offset = 1) => insertCell(index + offset, type)}
          onDelete={() => cellsOf(doc).delete(index, 1)}
          onMove={(delta) => moveCell(index, index + delta)}
          onDropCell={(from) => moveCell(from, index)}
          index={index}
          onType={(type) => setType(index, type)}
        />
      ))}
      {!readOnly && cells.length === 0 && <button onClick={() => insertCell(0, 'code')}>Add a cell</button>}
    </div>
  );
}

function CellView(props: {
  ycell: YCell;
  data: CellData;
  provider: WebsocketProvider | null;
  readOnly: boolean;
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
  index: number;
}) {
  const { ycell, data, provider, readOnly } = props;
  const containerRef = useRef<HTMLDivElement | null>(null);
  const [showComments, setShowComments] = useState(false);
  const openComments = props.comments.filter((c) => !c.resolvedAt).length;
  const pendingD = useRef(0);
  /** Jupyter's command mode: keys act on the cell while its editor is not focused. */
  const onCommandKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== containerRef.current || readOnly) return;
    const key = e.key;
    const act = (fn: () => void) => {
      e.preventDefault();
      fn();
    };
    if (key === 'Enter' && e.shiftKey) return act(() => data.cell_type === 'code' && props.onRun());
    if (key === 'Enter') return act(() => (data.cell_type === 'markdown' ? setEditing(true) : editorRef?.editor.focus()));
    if (e.altKey && key === 'ArrowUp') return act(() => props.onMove(-1));
    if (e.altKey && key === 'ArrowDown') return act(() => props.onMove(1));
    if (key === 'a' || key === 'b') return act(() => props.onAdd('code', key === 'a' ? 0 : 1));
    if (key === 'm') return act(() => props.onType('markdown'));
    if (key === 'y') return act(() => props.onType('code'));
    if (key === 'r') return act(() => props.onType('raw'));
    if (key === 'd') {
      e.preventDefault();
      if (Date.now() - pendingD.current < 800) {
        pendingD.current = 0;
        props.onDelete();
      } else pendingD.current = Date.now();
    }
  };
  const [editing, setEditing] = useState(data.cell_type !== 'markdown');
  const [editorRef, setEditorRef] = useState<{
    editor: Parameters<typeof bindCellEditor>[0]['editor'];
    monaco: Parameters<typeof bindCellEditor>[0]['monaco'];
  } | null>(null);
  const ytext = ycell.get(CELL_KEYS.source) as Y.Text;

  useEffect(() => {
    if (!editorRef || !provider) return;
    return bindCellEditor({ ytext, editor: editorRef.editor, monaco: editorRef.monaco, awareness: provider.awareness, cellId: data.id });
  }, [editorRef, provider, ytext, data.id]);

  const showEditor = data.cell_type !== 'markdown' || editing;
  const lines = Math.max(3, data.source.split('\n').length + 1);
  return (
    <div
      className={`cell ${data.execution_state !== 'idle' ? 'running' : ''}`}
      data-testid="cell"
      data-cell-id={data.id}
      ref={containerRef}
      tabIndex={0}
      onKeyDown={onCommandKey}
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
        <span className="muted small">
          {data.cell_type === 'code' ? `[${data.execution_state === 'idle' ? (data.execution_count ?? ' ') : '*'}]` : data.cell_type}
        </span>
        {data.execution_state !== 'idle' && (
          <span className="badge" data-testid="execution-state">
            {data.execution_state}
          </span>
        )}
        <span className="spacer" />
        <button className="link" onClick={() => setShowComments(!showComments)} data-testid="comments-toggle" title="Comments on this cell">
          💬 {openComments || ''}
        </button>
        {!readOnly && (
          <>
            {data.cell_type === 'code' && (
              <>
                <button onClick={props.onRun} data-testid="run-cell" title="Run (Shift+Enter)">
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
              <button className="link" onClick={() => setEditing(!editing)}>
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
            <button className="link" onClick={props.onDelete} title="Delete cell">
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
              // Esc leaves the editor for command mode (unless a widget such as suggestions is open).
              editor.addCommand(monaco.KeyCode.Escape, () => containerRef.current?.focus(), '!suggestWidgetVisible && !findWidgetVisible');
              editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, () => {
                if (data.cell_type === 'code' && !readOnly) props.onRun();
                else if (data.cell_type === 'markdown') setEditing(false);
              });
              setEditorRef({ editor, monaco });
            }}
          />
        </div>
      ) : (
        <div
          className="markdown"
          onDoubleClick={() => !readOnly && setEditing(true)}
          dangerouslySetInnerHTML={{ __html: renderMarkdown(data.source) }}
        />
      )}
      <CellOutputs outputs={data.outputs as CellOutput[]} />
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
