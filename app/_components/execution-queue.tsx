'use client';

import { useEffect, useMemo } from 'react';
import { usePolled } from '../_lib/use-workspace-data';

interface ExecutionRow {
  executionId: string;
  cellId: string;
  status: string;
  executionCount: number | null;
  workerId: string | null;
  requestedBy: string | null;
  requestedByEmail: string | null;
  queuedAt: string;
  durationMs: number | null;
}

export interface QueueCell {
  id: string;
  /** Execution count and first line, e.g. "[3] const model = …". */
  name: string;
  state: 'idle' | 'queued' | 'running';
}

/**
 * The notebook's shared execution queue. The counts come live from the cells' execution states in the
 * Yjs document; the rows (who queued what, how long it took) are reloaded whenever those states change.
 */
export function ExecutionQueue({ notebookId, cells }: { notebookId: string; cells: QueueCell[] }) {
  const { data, reload } = usePolled(
    `/api/notebooks/${notebookId}/executions`,
    (j) => (j as { executions: ExecutionRow[] }).executions,
    15_000,
  );
  const states = cells.map((c) => `${c.id}:${c.state}`).join(',');
  useEffect(() => void reload(), [states, reload]);
  const queued = cells.filter((c) => c.state === 'queued').length;
  const running = cells.filter((c) => c.state === 'running').length;
  const names = useMemo(() => new Map(cells.map((c) => [c.id, c.name])), [cells]);
  // Request order: the 30 latest, oldest first.
  const rows = useMemo(() => [...(data ?? [])].sort((a, b) => Date.parse(a.queuedAt) - Date.parse(b.queuedAt)).slice(-30), [data]);
  if (rows.length === 0 && queued + running === 0) return null;
  return (
    <details className="panel" data-testid="execution-queue" open={queued + running > 0}>
      <summary>
        Execution queue · <span data-testid="queue-queued">{queued}</span> queued, <span data-testid="queue-running">{running}</span>{' '}
        running
      </summary>
      <table className="small">
        <tbody>
          {rows.map((e) => {
            const status = e.status;
            return (
              <tr key={e.executionId} data-testid="execution-row">
                <td>[{e.executionCount ?? ' '}]</td>
                <td>
                  <span className="badge">{status}</span>
                </td>
                <td data-testid="execution-cell">{names.get(e.cellId) ?? <span className="muted">deleted cell</span>}</td>
                <td>{e.requestedBy || e.requestedByEmail || '—'}</td>
                <td>{new Date(e.queuedAt).toLocaleTimeString()}</td>
                <td>{e.durationMs !== null ? `${(e.durationMs / 1000).toFixed(1)} s` : ''}</td>
                <td className="muted">{e.workerId ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}
