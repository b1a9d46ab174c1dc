'use client';

import Link from 'next/link';
import { useFormDialog } from '../../../_components/form-dialog';
import { useParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { AppHeader } from '../../../_components/app-header';
import { api } from '../../../_lib/api';
import { useMe } from '../../../_lib/use-me';
import { RunCompare } from '../../../_components/runs/run-compare';

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
  tags: Record<string, string>;
  user: string | null;
}

const SORTS = ['attributes.start_time DESC', 'attributes.start_time ASC', 'attributes.run_name ASC'];

export default function RunsPage() {
  const { slug } = useParams<{ slug: string }>();
  const { me, workspace } = useMe(slug);
  const dialog = useFormDialog();
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [orderBy, setOrderBy] = useState(SORTS[0]!);
  const [runs, setRuns] = useState<RunRow[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const wsId = workspace?.id;
  const query = useCallback(
    (pageToken?: string) =>
      `/api/runs/search?workspaceId=${wsId}&limit=50&orderBy=${encodeURIComponent(orderBy)}${applied ? `&filter=${encodeURIComponent(applied)}` : ''}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`,
    [wsId, orderBy, applied],
  );
  // The first page refreshes every few seconds (runs change live); later pages load on demand.
  useEffect(() => {
    if (!wsId) return;
    const load = () =>
      api<{ runs: RunRow[]; nextPageToken: string | null }>('GET', query())
        .then((r) => {
          setRuns((old) => (old && old.length > r.runs.length ? [...r.runs, ...old.slice(r.runs.length)] : r.runs));
          setNext((n) => n ?? r.nextPageToken);
          setError(null);
        })
        .catch((e: Error) => setError(e.message));
    setRuns(null);
    setNext(null);
    void load();
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
  }, [wsId, query]);
  if (!me || !workspace) return <main className="center">Loading…</main>;
  const metricKeys = [...new Set((runs ?? []).flatMap((r) => Object.keys(r.metrics)))].sort();

  async function more() {
    if (!next) return;
    try {
      const page = await api<{ runs: RunRow[]; nextPageToken: string | null }>('GET', query(next));
      setRuns((old) => [...(old ?? []), ...page.runs]);
      setNext(page.nextPageToken);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : s.length >= 10 ? s : [...s, id]));

  async function promote(run: RunRow) {
    const values = await dialog.ask({
      title: `Promote ${run.name}`,
      message: 'Exports the run’s model to ONNX, checks parity and registers a version pending approval.',
      fields: [{ name: 'modelName', label: 'Model name', defaultValue: 'model', required: true }],
      confirmLabel: 'Register version',
    });
    const modelName = values?.modelName?.trim();
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
      {dialog.element}
      <main className="page">
        <h1>Runs</h1>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(filter.trim());
          }}
        >
          <input
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="filter, e.g. metrics.loss < 0.3 and params.optimizer = 'adam' and attributes.status = 'FINISHED'"
            style={{ flex: 1 }}
            data-testid="runs-filter"
          />
          <select value={orderBy} onChange={(e) => setOrderBy(e.target.value)} aria-label="sort by" data-testid="runs-sort">
            {[...SORTS, ...metricKeys.flatMap((k) => [`metrics.${k} ASC`, `metrics.${k} DESC`])].map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
          <button type="submit">Apply</button>
        </form>
        {selected.length >= 2 && runs && <RunCompare runs={runs.filter((r) => selected.includes(r.id))} />}
        {selected.length === 1 && <p className="small muted">Select one more run to compare (up to 10).</p>}
        {(error || message) && (
          <p className={error ? 'error' : 'notice'} data-testid="runs-message">
            {error ?? message}
          </p>
        )}
        <table data-testid="runs-table">
          <thead>
            <tr>
              <th />
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
                <td>
                  <input
                    type="checkbox"
                    checked={selected.includes(run.id)}
                    onChange={() => toggle(run.id)}
                    aria-label={`compare ${run.name}`}
                  />
                </td>
                <td>
                  <Link href={`/w/${slug}/runs/${run.id}`} data-testid="run-link">
                    {run.name}
                  </Link>
                  {run.tags['ferry.retrain_of'] && <div className="small muted">retraining from a drift alert</div>}
                </td>
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
                  {workspace.role !== 'viewer' && run.status !== 'failed' && (
                    <button onClick={() => void promote(run)} data-testid="promote-run">
                      Promote
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {runs?.length === 0 && (
              <tr>
                <td colSpan={8} className="muted">
                  {applied
                    ? 'No run matches this filter.'
                    : 'No runs yet: a cell that calls ferry.logParams / ferry.logMetric / ferry.logModel creates one.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {next && (
          <button className="secondary" onClick={() => void more()}>
            Load more
          </button>
        )}
      </main>
    </>
  );
}
