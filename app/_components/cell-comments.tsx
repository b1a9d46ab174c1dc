'use client';

import { useState } from 'react';
import { api } from '../_lib/api';

export interface CellComment {
  id: string;
  cellId: string;
  body: string;
  authorId: string | null;
  authorName: string | null;
  authorEmail: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

/** A cell's discussion: open comments first, resolved ones folded; editors add and resolve. */
export function CellComments(props: {
  notebookId: string;
  cellId: string;
  comments: CellComment[];
  userId: string;
  readOnly: boolean;
  onChange: () => void;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [showResolved, setShowResolved] = useState(false);
  const open = props.comments.filter((c) => !c.resolvedAt);
  const resolved = props.comments.filter((c) => c.resolvedAt);
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError(null);
      props.onChange();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const item = (c: CellComment) => (
    <li key={c.id} className={c.resolvedAt ? 'muted' : ''} data-testid="comment">
      <strong>{c.authorName || c.authorEmail || 'someone'}</strong>{' '}
      <span className="small muted">{new Date(c.createdAt).toLocaleString()}</span>
      <div>{c.body}</div>
      {!props.readOnly && (
        <button
          className="link"
          onClick={() => void act(() => api('POST', `/api/comments/${c.id}/resolve`, { resolved: !c.resolvedAt }))}
          data-testid="resolve-comment"
        >
          {c.resolvedAt ? 'Reopen' : 'Resolve'}
        </button>
      )}{' '}
      {c.authorId === props.userId && (
        <button className="link" onClick={() => void act(() => api('DELETE', `/api/comments/${c.id}`))}>
          Delete
        </button>
      )}
    </li>
  );
  return (
    <div className="cell-comments" data-testid="cell-comments">
      <ul className="list">{open.map(item)}</ul>
      {resolved.length > 0 && (
        <button className="link small" onClick={() => setShowResolved(!showResolved)}>
          {showResolved ? 'Hide' : 'Show'} {resolved.length} resolved
        </button>
      )}
      {showResolved && <ul className="list">{resolved.map(item)}</ul>}
      {!props.readOnly && (
        <div className="row">
          <textarea
            rows={2}
            placeholder="Comment on this cell"
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="comment-input"
          />
          <button
            disabled={!text.trim()}
            onClick={() =>
              void act(async () => {
                await api('POST', `/api/notebooks/${props.notebookId}/comments`, { cellId: props.cellId, body: text });
                setText('');
              })
            }
            data-testid="add-comment"
          >
            Comment
          </button>
        </div>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
