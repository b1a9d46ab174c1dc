'use client';

import { useParams } from 'next/navigation';
import { useState } from 'react';
import { AppHeader } from '../../../_components/app-header';
import { api } from '../../../_lib/api';
import { useMe } from '../../../_lib/use-me';
import { usePolled } from '../../../_lib/use-workspace-data';

interface RunRow {
  id: string;
  name: string;
  status: string;
  startedAt: string;
  endedAt: string | null;
  backend: string | null;
  notebookVersionId: string | null;
  params: Record<string, string>;
  metrics: Record<string, number>;
}

export default function RunsPage() {
  const { slug } = useParams<{ slug: string }>();
  const { me, workspace } = useMe(slug);
  const { data: runs, error } = usePolled(
    workspace ? `/api/runs?workspaceId=${workspace.id}` : null,
    (j) => (j as { runs: RunRow[] }).runs,
  );
  const [message, setMessage] = useState<string | null>(null);
  if (!me || !workspace) return <main className="center">Loading…</main>;

  async function promote(run: RunRow) {
    const modelName = window.prompt('Register as model (name)', 'model');
    if (!modelName) return;
    try {
      const res = await api<{ model: { name: string }; version: { version: number } }>('POST', `/api/runs/${run.id}/promote`, {
        modelName,
      });
      setMessage(`Registered ${res.model.name} v${res.version.version} (pending approval)`);
    } catch (e) {
      setMessage((e as Error).message);
    }
  }

  return (
    <>
      <AppHeader me={me} slug={slug} section="runs" />
      <main className="page">
        <h1>Runs</h1>
        {(error || message) && (
          <p className={error ? 'error' : 'notice'} data-testid="runs-message">
            {error ?? message}
          </p>
        )}
        <table data-testid="runs-table">
          <thead>
            <tr>
              <th>run</th>
              <th>status</th>
              <th>params</th>
              <th>latest metrics</th>
              <th>started</th>
              <th>notebook version</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(runs ?? []).map((run) => (
              <tr key={run.id} data-testid="run-row">
                <td>{run.name}</td>
                <td>
                  <span className="badge">{run.status}</span>
                </td>
                <td className="small">
                  {Object.entries(run.params)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(', ')}
                </td>
                <td className="small">
                  {Object.entries(run.metrics)
                    .map(([k, v]) => `${k}=${v.toPrecision(4)}`)
                    .join(', ')}
                </td>
                <td className="small">{new Date(run.startedAt).toLocaleString()}</td>
                <td className="small">
                  <code>{run.notebookVersionId?.slice(0, 8)}</code>
                </td>
                <td>
                  {workspace.role !== 'viewer' && run.status === 'finished' && (
                    <button onClick={() => void promote(run)} data-testid="promote-run">
                      Promote
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {runs?.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  No runs yet: a cell that calls ferry.logParams / ferry.logMetric / ferry.logModel creates one.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </main>
    </>
  );
}
