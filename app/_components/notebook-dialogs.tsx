'use client';

import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { filterActions, type NotebookAction, type NotebookActionId } from '../_lib/notebook-keys';

// In-page dialogs for the notebook (never window.confirm / prompt): the command palette, the
// shortcuts sheet and confirmations. Esc closes each; focus goes into it while open.

function Modal(props: { label: string; onClose: () => void; children: ReactNode; testId: string }) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      props.onClose();
    }
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={props.label} data-testid={props.testId} onKeyDown={onKeyDown}>
        {props.children}
      </div>
    </div>
  );
}

export function CommandPalette(props: { actions: NotebookAction[]; onRun: (id: NotebookActionId) => void; onClose: () => void }) {
  const [filter, setFilter] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement | null>(null);
  useEffect(() => input.current?.focus(), []);
  const shown = filterActions(props.actions, filter);
  const pick = Math.min(index, Math.max(0, shown.length - 1));
  return (
    <Modal label="Command palette" onClose={props.onClose} testId="command-palette">
      <input
        ref={input}
        className="palette-input"
        placeholder="Type a command…"
        value={filter}
        data-testid="palette-filter"
        onChange={(e) => {
          setFilter(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setIndex(Math.min(shown.length - 1, pick + 1));
          else if (e.key === 'ArrowUp') setIndex(Math.max(0, pick - 1));
          else if (e.key === 'Enter' && shown[pick]) props.onRun(shown[pick].id);
          else return;
          e.preventDefault();
        }}
      />
      <ul className="palette-list" role="listbox">
        {shown.map((a, i) => (
          <li
            key={a.id}
            role="option"
            aria-selected={i === pick}
            className={i === pick ? 'picked' : ''}
            data-testid="palette-item"
            onMouseEnter={() => setIndex(i)}
            onClick={() => props.onRun(a.id)}
          >
            <span>{a.label}</span>
            {a.keys && <kbd>{a.keys}</kbd>}
          </li>
        ))}
        {shown.length === 0 && <li className="muted">No command matches “{filter}”</li>}
      </ul>
    </Modal>
  );
}

export function ShortcutsSheet(props: { actions: NotebookAction[]; onClose: () => void }) {
  const close = useRef<HTMLButtonElement | null>(null);
  useEffect(() => close.current?.focus(), []);
  const groups: Array<[string, NotebookAction[]]> = [
    ['Both modes', props.actions.filter((a) => a.mode === 'both' && a.keys)],
    ['Command mode (Esc)', props.actions.filter((a) => a.mode === 'command' && a.keys)],
    ['Edit mode (Enter)', props.actions.filter((a) => a.mode === 'edit' && a.keys)],
  ];
  return (
    <Modal label="Keyboard shortcuts" onClose={props.onClose} testId="shortcuts-sheet">
      <div className="row">
        <strong>Keyboard shortcuts</strong>
        <span className="spacer" />
        <button ref={close} className="secondary" onClick={props.onClose}>
          Close
        </button>
      </div>
      {groups.map(([title, actions]) => (
        <section key={title}>
          <h4>{title}</h4>
          <table className="small">
            <tbody>
              {actions.map((a) => (
                <tr key={a.id}>
                  <td>
                    <kbd>{a.keys}</kbd>
                  </td>
                  <td>{a.label}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </Modal>
  );
}

export function ConfirmDialog(props: { title: string; body: string; confirm: string; onConfirm: () => void; onCancel: () => void }) {
  const ok = useRef<HTMLButtonElement | null>(null);
  useEffect(() => ok.current?.focus(), []);
  return (
    <Modal label={props.title} onClose={props.onCancel} testId="confirm-dialog">
      <strong>{props.title}</strong>
      <p>{props.body}</p>
      <div className="row">
        <span className="spacer" />
        <button className="secondary" onClick={props.onCancel} data-testid="confirm-cancel">
          Cancel
        </button>
        <button ref={ok} onClick={props.onConfirm} data-testid="confirm-ok">
          {props.confirm}
        </button>
      </div>
    </Modal>
  );
}
