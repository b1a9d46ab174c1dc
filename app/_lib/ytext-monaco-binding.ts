'use client';

import type { editor as MonacoEditor, IDisposable } from 'monaco-editor';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';

// Binds one Monaco editor to one cell's Y.Text, both ways, and shows other users' selections.
// Written here rather than with y-monaco, which imports monaco-editor as a module and would pull the
// whole editor into our bundle; this works with the editor served from /monaco/vs.

type Monaco = typeof import('monaco-editor');

export interface CursorState {
  cellId: string;
  anchor: unknown;
  head: unknown;
}

export function bindCellEditor(opts: {
  ytext: Y.Text;
  editor: MonacoEditor.IStandaloneCodeEditor;
  monaco: Monaco;
  awareness: Awareness;
  cellId: string;
}): () => void {
  const { ytext, editor, monaco, awareness, cellId } = opts;
  const model = editor.getModel();
  if (!model) return () => undefined;
  const doc = ytext.doc!;
  const origin = Symbol('monaco');
  let applyingRemote = false;
  const disposables: IDisposable[] = [];

  if (model.getValue() !== ytext.toString()) {
    applyingRemote = true;
    model.setValue(ytext.toString());
    applyingRemote = false;
  }

  const onRemote = (event: Y.YTextEvent, tx: Y.Transaction) => {
    if (tx.origin === origin) return;
    applyingRemote = true;
    try {
      let index = 0;
      const edits: MonacoEditor.IIdentifiedSingleEditOperation[] = [];
      for (const op of event.delta) {
        if (op.retain !== undefined) index += op.retain;
        else if (op.insert !== undefined) {
          const pos = model.getPositionAt(index);
          edits.push({ range: new monaco.Range(pos.lineNumber, pos.column, pos.lineNumber, pos.column), text: String(op.insert) });
        } else if (op.delete !== undefined) {
          const start = model.getPositionAt(index);
          const end = model.getPositionAt(index + op.delete);
          edits.push({ range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column), text: '' });
          index += op.delete;
        }
      }
      model.pushEditOperations([], edits, () => null);
    } finally {
      applyingRemote = false;
    }
    renderRemoteCursors();
  };
  ytext.observe(onRemote);

  disposables.push(
    model.onDidChangeContent((event) => {
      if (applyingRemote) return;
      doc.transact(() => {
        for (const change of [...event.changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) {
          if (change.rangeLength) ytext.delete(change.rangeOffset, change.rangeLength);
          if (change.text) ytext.insert(change.rangeOffset, change.text);
        }
      }, origin);
      // Remote carets are placed from their Yjs relative positions after every edit, ours included:
      // left to Monaco's decoration tracking, a caret where we type would ride along with our text.
      renderRemoteCursors();
    }),
  );

  // Leaving the cell takes our caret out of it for everyone else.
  disposables.push(
    editor.onDidBlurEditorText(() => {
      const mine = awareness.getLocalState()?.cursor as CursorState | undefined;
      if (mine?.cellId === cellId) awareness.setLocalStateField('cursor', null);
    }),
  );

  disposables.push(
    editor.onDidChangeCursorSelection(() => {
      const sel = editor.getSelection();
      if (!sel) return;
      const anchor = Y.createRelativePositionFromTypeIndex(ytext, model.getOffsetAt(sel.getStartPosition()));
      const head = Y.createRelativePositionFromTypeIndex(ytext, model.getOffsetAt(sel.getEndPosition()));
      awareness.setLocalStateField('cursor', {
        cellId,
        anchor: Y.relativePositionToJSON(anchor),
        head: Y.relativePositionToJSON(head),
      } satisfies CursorState);
    }),
  );

  let decorations: string[] = [];
  function renderRemoteCursors() {
    const next: MonacoEditor.IModelDeltaDecoration[] = [];
    awareness.getStates().forEach((state, clientId) => {
      if (clientId === awareness.clientID) return;
      const cursor = state.cursor as CursorState | undefined;
      const user = state.user as { name?: string; color?: string } | undefined;
      if (!cursor || cursor.cellId !== cellId) return;
      const a = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(cursor.anchor), doc);
      const h = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(cursor.head), doc);
      if (!a || !h || a.type !== ytext || h.type !== ytext) return;
      ensureColorClass(clientId, user?.color ?? '#888', user?.name ?? 'someone');
      const start = model!.getPositionAt(Math.min(a.index, h.index));
      const end = model!.getPositionAt(Math.max(a.index, h.index));
      next.push({
        range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column),
        options: {
          stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
          className: `yRemoteSelection remote-${clientId}`,
          afterContentClassName: `yRemoteSelectionHead remote-head-${clientId}`,
          hoverMessage: { value: user?.name ?? 'someone' },
        },
      });
    });
    decorations = editor.deltaDecorations(decorations, next);
  }
  awareness.on('change', renderRemoteCursors);
  renderRemoteCursors();

  return () => {
    ytext.unobserve(onRemote);
    awareness.off('change', renderRemoteCursors);
    for (const d of disposables) d.dispose();
  };
}

const styled = new Map<number, string>();
/** Each remote caret in its user's colour, with their name above it (CSS strings escape like JSON ones). */
function ensureColorClass(clientId: number, color: string, name: string) {
  const key = `${color}\u0000${name}`;
  if (styled.get(clientId) === key) return;
  styled.set(clientId, key);
  const safeColor = /^#[0-9a-fA-F]{3,8}$/.test(color) ? color : '#888';
  const label = JSON.stringify(name.slice(0, 40)).replace(/</g, '\\3c ');
  const style = document.createElement('style');
  style.dataset.remoteCursor = String(clientId);
  style.textContent =
    `.remote-${clientId}{background-color:color-mix(in srgb, ${safeColor} 35%, transparent)}` +
    `.remote-head-${clientId}{border-left:2px solid ${safeColor};position:relative}` +
    `.remote-head-${clientId}::after{content:${label};position:absolute;top:-1.2em;left:-2px;padding:0 3px;border-radius:3px;` +
    `background:${safeColor};color:#fff;font-size:10px;line-height:1.2em;white-space:nowrap;pointer-events:none}`;
  document.querySelector(`style[data-remote-cursor="${clientId}"]`)?.remove();
  document.head.appendChild(style);
}
