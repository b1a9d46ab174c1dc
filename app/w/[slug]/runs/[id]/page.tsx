'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { AppHeader } from '../../../../_components/app-header';
import { MetricChart } from '../../../../_components/runs/metric-chart';
import { api } from '../../../../_lib/api';
import { renderMarkdown } from '../../../../_lib/markdown';
import { useMe } from '../../../../_lib/use-me';

// One run, as experiment trackers show it: what it is (name, status, who, when), what went in (params,
// datasets, the notebook versions and cells with their source), what came out (metrics with charts,
// artifacts, the model versions promoted from it) and where it came from (a training, a drift alert).

interface RunCell {
  executionId: string;
  cellId: string;
  notebookVersionId: string | null;
  sourceHash: string;
  executionCount: number | null;
  loggedAt: string;
  user: { id: string; email: string | null; name: string | null } | null;
  source: string | null;
}

interface RunDetail {
  id: string;
  name: string;
  status: string;
  startedAt: string;
  endedAt: string | null;
  durationMs: number;
  backend: string | null;
  workerId: string | null;
  notebookId: string | null;
  params: Record<string, string>;
  metrics: Array<{ key: string; final: number; best: number; goal: 'min' | 'max'; points: number; lastStep: number }>;
  tags: Record<string, string>;
  note: string;
  artifacts: Array<{ path: string; sha256: string; kind: string }>;
  datasets: Array<{ name: string; version: number; sha256: string; datasetId?: string }>;
  cells: RunCell[];
  notebookVersions: Array<{ id: string; kind: string; name: string | null; createdAt: string; notebookId: string }>;
  modelVersions: Array<{ id: string; version: number; status: string; modelName: string }>;
  training: { id: string; status: string; attempts: number; checkpoint: { epoch?: number } | null } | null;
}

const formatDuration = (ms: number) =>
  ms < 1000
    ? `${ms} ms`
    : ms < 60_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

const who = (u: RunCell['user']) => (u ? u.name || u.email || u.id.slice(0, 8) : 'unknown');

export default function RunPage() {
  const { slug, id } = useParams<{ slug: string; id: string }>();
  const { me, workspace } = useMe(slug);
  const [run, setRun] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = useCallback(
    () =>
      api<RunDetail>('GET', `/api/runs/${id}`)
        .then((r) => (setRun(r), setError(null)))
        .catch((e: Error) => setError(e.message)),
    [id],
  );
  useEffect(() => {
    void load();
  }, [load]);
  // A running run changes: its metrics and cells refresh every few seconds.
  useEffect(() => {
    if (run?.status !== 'running') return;
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [run?.status, load]);
  if (!me || !workspace) return <main className="center">Loading…</main>;
  const canEdit = workspace.role !== 'viewer';

  async function edit(change: Record<string, unknown>, done: string) {
    try {
      setRun(await api<RunDetail>('PATCH', `/api/runs/${id}`, change));
      setMessage(done);
    } catch (e) {
      setMessage((e as Error).message);
    }
  }

  return (
    <>
      <AppHeader me={me} slug={slug} section="runs" />
      <main className="page" data-testid="run-page">
        <p className="small">
          <Link href={`/w/${slug}/runs`}>← Runs</Link>
        </p>
        {error && <p className="error">{error}</p>}
        {message && (
          <p className="notice" data-testid="run-message">
            {message}
          </p>
        )}
        {run && (
          <>
            <RunTitle run={run} canEdit={canEdit} onRename={(name) => edit({ name }, 'Renamed.')} />
            <p className="small muted" data-testid="run-facts">
              <span className="badge" data-testid="run-status">
                {run.status}
              </span>{' '}
              started {new Date(run.startedAt).toLocaleString()} by {who(run.cells[0]?.user ?? null)} ·{' '}
              {run.endedAt ? 'took' : 'running for'} {formatDuration(run.durationMs)} · {run.backend ?? 'backend unknown'}
              {run.workerId ? ` on ${run.workerId}` : ''}
            </p>
            <section>
              <h2>Params</h2>
              {Object.keys(run.params).length === 0 ? (
                <p className="muted">No params logged.</p>
              ) : (
                <table data-testid="run-params">
                  <tbody>
                    {Object.entries(run.params).map(([k, v]) => (
                      <tr key={k}>
                        <th>{k}</th>
                        <td>
                          <code>{v}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section>
              <h2>Metrics</h2>
              {run.metrics.length === 0 ? (
                <p className="muted">No metrics logged.</p>
              ) : (
                <>
                  <table data-testid="run-metrics">
                    <thead>
                      <tr>
                        <th>metric</th>
                        <th>final</th>
                        <th>best</th>
                        <th>points</th>
                      </tr>
                    </thead>
                    <tbody>
                      {run.metrics.map((m) => (
                        <tr key={m.key}>
                          <th>{m.key}</th>
                          <td>{m.final.toPrecision(5)}</td>
                          <td>
                            {m.best.toPrecision(5)} <span className="small muted">({m.goal})</span>
                          </td>
                          <td>{m.points}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {run.metrics.map((m) => (
                    <MetricChart key={m.key} runId={run.id} runName={run.name} metric={m.key} live={run.status === 'running'} />
                  ))}
                </>
              )}
            </section>
            <section>
              <h2>Models</h2>
              {run.modelVersions.length === 0 ? (
                <p className="muted">No model version promoted from this run yet.</p>
              ) : (
                <ul data-testid="run-model-versions">
                  {run.modelVersions.map((v) => (
                    <li key={v.id}>
                      <Link href={`/w/${slug}/models/versions/${v.id}`}>
                        {v.modelName} v{v.version}
                      </Link>{' '}
                      <span className="badge">{v.status}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section>
              <h2>Data</h2>
              {run.datasets.length === 0 ? (
                <p className="muted">No dataset read through ferry.useDataset.</p>
              ) : (
                <ul data-testid="run-datasets">
                  {run.datasets.map((d) => (
                    <li key={`${d.name}@${d.version}`}>
                      <Link href={`/w/${slug}/datasets`}>
                        {d.name}@{d.version}
                      </Link>{' '}
                      <code className="small">{d.sha256.slice(0, 12)}</code>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section>
              <h2>Code</h2>
              {run.notebookId && run.notebookVersions.length > 0 ? (
                <p data-testid="run-notebook-versions">
                  Notebook version{run.notebookVersions.length > 1 ? 's' : ''}:{' '}
                  {run.notebookVersions.map((v, i) => (
                    <span key={v.id}>
                      {i > 0 && ', '}
                      <Link href={`/w/${slug}/notebooks/${v.notebookId}/versions/${v.id}`}>
                        {v.name ?? `${v.kind} ${new Date(v.createdAt).toLocaleString()}`}
                      </Link>
                    </span>
                  ))}
                </p>
              ) : (
                <p className="muted">Not made in a notebook (an MLflow client or a script).</p>
              )}
              {run.cells.map((c) => (
                <details key={c.executionId} className="run-cell" data-testid="run-cell">
                  <summary>
                    {c.executionCount !== null ? `[${c.executionCount}] ` : ''}
                    {c.source?.split('\n').find((l) => l.trim()) ?? `cell ${c.cellId}`} — run by {who(c.user)},{' '}
                    {new Date(c.loggedAt).toLocaleTimeString()}
                  </summary>
                  <pre>{c.source ?? '(source not in the recorded version)'}</pre>
                  <p className="small muted">
                    sha256 <code>{c.sourceHash.slice(0, 16)}</code>
                  </p>
                </details>
              ))}
            </section>
            {run.training && (
              <section>
                <h2>Training</h2>
                <p data-testid="run-training">
                  Background training <code>{run.training.id.slice(0, 8)}</code>: {run.training.status}, {run.training.attempts} attempt
                  {run.training.attempts === 1 ? '' : 's'}
                  {run.training.checkpoint?.epoch !== undefined
                    ? `, last checkpoint after epoch ${run.training.checkpoint.epoch}`
                    : ''}. <Link href={`/w/${slug}/notebooks/${run.notebookId}`}>Open the notebook</Link> for its log.
                </p>
              </section>
            )}
            {run.tags['ferry.retrain_of'] && (
              <p className="notice">
                Retraining from drift alert <code>{run.tags['ferry.retrain_of'].slice(0, 8)}</code> on data{' '}
                <code>{run.tags['ferry.data_ref'] ?? 'as recorded'}</code>.
              </p>
            )}
            <section>
              <h2>Artifacts</h2>
              {run.artifacts.length === 0 ? (
                <p className="muted">No artifacts.</p>
              ) : (
                <ul data-testid="run-artifacts">
                  {run.artifacts.map((a) => (
                    <li key={a.path}>
                      <a href={`/api/runs/${run.id}/artifacts?path=${encodeURIComponent(a.path)}`} download>
                        {a.path}
                      </a>{' '}
                      <span className="small muted">{a.kind}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <Tags run={run} canEdit={canEdit} onChange={(change) => edit(change, 'Tags saved.')} />
            <Note run={run} canEdit={canEdit} onSave={(note) => edit({ note }, 'Notes saved.')} />
          </>
        )}
      </main>
    </>
  );
}

function RunTitle(props: { run: RunDetail; canEdit: boolean; onRename: (name: string) => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(props.run.name);
  if (!editing)
    return (
      <h1 data-testid="run-name">
        {props.run.name}{' '}
        {props.canEdit && (
          <button className="secondary small" onClick={() => (setName(props.run.name), setEditing(true))}>
            Rename
          </button>
        )}
      </h1>
    );
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        void props.onRename(name.trim()).then(() => setEditing(false));
      }}
    >
      <input value={name} onChange={(e) => setName(e.target.value)} aria-label="run name" maxLength={250} autoFocus />
      <button type="submit" disabled={!name.trim()}>
        Save
      </button>
      <button type="button" className="secondary" onClick={() => setEditing(false)}>
        Cancel
      </button>
    </form>
  );
}

function Tags(props: { run: RunDetail; canEdit: boolean; onChange: (change: Record<string, unknown>) => Promise<void> }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const shown = Object.entries(props.run.tags).filter(([k]) => !k.startsWith('mlflow.'));
  return (
    <section>
      <h2>Tags</h2>
      <ul data-testid="run-tags">
        {shown.map(([k, v]) => (
          <li key={k}>
            <code>{k}</code> = {v}{' '}
            {props.canEdit && !k.startsWith('ferry.') && (
              <button className="secondary small" onClick={() => void props.onChange({ removeTags: [k] })} aria-label={`remove tag ${k}`}>
                remove
              </button>
            )}
          </li>
        ))}
        {shown.length === 0 && <li className="muted">No tags.</li>}
      </ul>
      {props.canEdit && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void props.onChange({ tags: { [key.trim()]: value } }).then(() => (setKey(''), setValue('')));
          }}
        >
          <input value={key} onChange={(e) => setKey(e.target.value)} placeholder="tag" aria-label="tag key" maxLength={250} />
          <input value={value} onChange={(e) => setValue(e.target.value)} placeholder="value" aria-label="tag value" maxLength={5000} />
          <button type="submit" disabled={!key.trim()}>
            Add tag
          </button>
        </form>
      )}
    </section>
  );
}

function Note(props: { run: RunDetail; canEdit: boolean; onSave: (note: string) => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(props.run.note);
  return (
    <section>
      <h2>Notes</h2>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void props.onSave(text).then(() => setEditing(false));
          }}
        >
          <textarea value={text} onChange={(e) => setText(e.target.value)} rows={6} style={{ width: '100%' }} aria-label="run notes" />
          <button type="submit">Save notes</button>{' '}
          <button type="button" className="secondary" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          {props.run.note ? (
            // renderMarkdown escapes everything first; only its own tags reach the page.
            <div className="markdown" data-testid="run-note" dangerouslySetInnerHTML={{ __html: renderMarkdown(props.run.note) }} />
          ) : (
            <p className="muted">No notes.</p>
          )}
          {props.canEdit && (
            <button className="secondary" onClick={() => (setText(props.run.note), setEditing(true))}>
              Edit notes
            </button>
          )}
        </>
      )}
    </section>
  );
}
