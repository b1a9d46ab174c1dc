'use client';

import Link from 'next/link';
import { useFormDialog } from './form-dialog';
import { useCallback, useEffect, useState } from 'react';
import type { NotebookDiff } from '../../core/notebook/notebook-diff';
import { api } from '../_lib/api';
import { usePolled } from '../_lib/use-workspace-data';

interface VersionRow {
  id: string;
  kind: 'named' | 'checkpoint' | 'execution' | 'restore';
  name: string | null;
  message: string | null;
  contentHash: string;
  createdAt: string;
  authorName: string | null;
}

/**
 * Versions of a notebook: save a named one (also Ctrl/Cmd+S), open any read-only, diff any two or
 * one against the live document, restore (the live document is checkpointed first).
 */
export function NotebookHistory({ notebookId, slug, readOnly }: { notebookId: string; slug: string; readOnly: boolean }) {
  const { data: versions, reload } = usePolled(
    `/api/notebooks/${notebookId}/versions`,
    (j) => (j as { versions: VersionRow[] }).versions,
    15_000,
  );
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string>('current');
  const [diff, setDiff] = useState<NotebookDiff | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const dialog = useFormDialog();
  const { ask, confirm } = dialog;

  const save = useCallback(async () => {
    const values = await ask({
      title: 'Save a named version',
      message: 'The cells and their outputs as they are now; restore brings both back.',
      fields: [{ name: 'name', label: 'Name', defaultValue: `version ${new Date().toLocaleString()}`, required: true }],
      confirmLabel: 'Save version',
    });
    const name = values?.name?.trim();
    if (!name) return;
    try {
      await api('POST', `/api/notebooks/${notebookId}/versions`, { name });
      setMessage(`Saved “${name}”.`);
      await reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  }, [notebookId, reload, ask]);

  useEffect(() => {
    if (readOnly) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [readOnly, save]);

  const compare = async (a: string, b: string) => {
    try {
      setDiff(await api<NotebookDiff>('GET', `/api/notebooks/${notebookId}/versions/diff?from=${a}&to=${b}`));
      setMessage(null);
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const restore = async (v: VersionRow) => {
    const sure = await confirm({
      title: `Restore “${v.name ?? v.kind}”?`,
      message: 'Everyone in the notebook sees the restored cells and outputs; the current document is kept as a checkpoint first.',
      confirmLabel: 'Restore',
    });
    if (!sure) return;
    try {
      await api('POST', `/api/notebooks/${notebookId}/versions/${v.id}/restore`);
      setMessage('Restored; the previous document is a checkpoint in this list.');
      await reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const fromRow = versions?.find((v) => v.id === from);
  const label = (v: VersionRow) => `${v.name ?? v.kind} · ${new Date(v.createdAt).toLocaleString()}`;

  return (
    <section className="panel" data-testid="notebook-history">
      {dialog.element}
      <div className="row">
        <h2>History</h2>
        <span className="spacer" />
        {!readOnly && (
          <button onClick={() => void save()} data-testid="save-version" title="Ctrl/Cmd+S">
            Save version
          </button>
        )}
      </div>
      {message && <p className="notice">{message}</p>}
      <table className="small">
        <tbody>
          {(versions ?? []).map((v) => (
            <tr key={v.id} data-testid="version-row">
              <td>
                <span className="badge">{v.kind}</span> {v.name ?? ''}
                {v.message && <div className="muted">{v.message}</div>}
              </td>
              <td>{new Date(v.createdAt).toLocaleString()}</td>
              <td>{v.authorName ?? 'automatic'}</td>
              <td>
                <Link href={`/w/${slug}/notebooks/${notebookId}/versions/${v.id}`}>Open</Link>{' '}
                <button className="secondary" onClick={() => void compare(v.id, 'current')} data-testid="diff-current">
                  Diff with now
                </button>{' '}
                <input type="radio" name="diff-from" checked={from === v.id} onChange={() => setFrom(v.id)} title="compare from" />
                <input type="radio" name="diff-to" checked={to === v.id} onChange={() => setTo(v.id)} title="compare to" />{' '}
                {!readOnly && (
                  <button className="secondary" onClick={() => void restore(v)} data-testid="restore-version">
                    Restore
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {from && (
        <p>
          <button onClick={() => void compare(from, to)} disabled={from === to}>
            Compare {fromRow ? label(fromRow) : 'selected'} → {to === 'current' ? 'now' : 'selected'}
          </button>
        </p>
      )}
      {diff && <DiffView diff={diff} />}
    </section>
  );
}

function DiffView({ diff }: { diff: NotebookDiff }) {
  const s = diff.summary;
  return (
    <div data-testid="notebook-diff">
      <p className="small">
        {s.added} added · {s.removed} removed · {s.modified} modified · {s.moved} moved · {s.unchanged} unchanged
      </p>
      {diff.cells
        .filter((c) => c.status !== 'unchanged' || c.moved)
        .map((c) => (
          <div key={`${c.status}-${c.id}`} className={`diff-cell diff-${c.status}`} data-testid="diff-cell">
            <div className="small">
              <strong>{c.status}</strong>
              {c.moved && ' · moved'}
              {c.typeChange && ` · ${c.typeChange.from} → ${c.typeChange.to}`} <code>{c.id}</code>
            </div>
            <pre className="diff-lines">
              {c.lines.map((l, i) => (
                <div key={i} className={`line-${l.op}`}>
                  {l.op === 'add' ? '+ ' : l.op === 'del' ? '- ' : '  '}
                  {l.text}
                </div>
              ))}
            </pre>
          </div>
        ))}
    </div>
  );
}
