'use client';

import { useEffect, useState } from 'react';
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

/** The notebook's shared execution queue: everyone sees who queued which cell and how it went. */
export function ExecutionQueue({ notebookId }: { notebookId: string }) {
  // Polled briskly only while something is queued or running; the cells themselves show live state.
  const [busy, setBusy] = useState(true);
  const { data } = usePolled(
    `/api/notebooks/${notebookId}/executions`,
    (j) => (j as { executions: ExecutionRow[] }).executions,
    busy ? 1500 : 6000,
  );
  useEffect(() => setBusy(!!data?.some((e) => e.status === 'queued' || e.status === 'running')), [data]);
  if (!data || data.length === 0) return null;
  return (
    <details className="panel" data-testid="execution-queue" open={data.some((e) => e.status === 'queued' || e.status === 'running')}>
      <summary>
        Execution queue · {data.filter((e) => e.status === 'queued').length} queued, {data.filter((e) => e.status === 'running').length}{' '}
        running
      </summary>
      <table className="small">
        <tbody>
          {data.slice(0, 30).map((e) => (
            <tr key={e.executionId} data-testid="execution-row">
              <td>[{e.executionCount ?? ' '}]</td>
              <td>
                <span className="badge">{e.status}</span>
              </td>
              <td>
                cell <code>{e.cellId.slice(0, 8)}</code>
              </td>
              <td>{e.requestedBy || e.requestedByEmail || '—'}</td>
              <td>{new Date(e.queuedAt).toLocaleTimeString()}</td>
              <td>{e.durationMs !== null ? `${(e.durationMs / 1000).toFixed(1)} s` : ''}</td>
              <td className="muted">{e.workerId ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
