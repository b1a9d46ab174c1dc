'use client';

import Link from 'next/link';
import { MetricChart } from '../../../../../_components/runs/metric-chart';
import { useParams } from 'next/navigation';
import { useState } from 'react';
import { AppHeader } from '../../../../../_components/app-header';
import { LineageChain } from '../../../../../_components/registry/lineage-chain';
import { formatNumber, formatSignature, type Review, type VersionFacts } from '../../../../../_components/registry/version-types';
import { api } from '../../../../../_lib/api';
import { renderMarkdown } from '../../../../../_lib/markdown';
import { useMe } from '../../../../../_lib/use-me';
import { usePolled } from '../../../../../_lib/use-workspace-data';

// The approval page: the candidate beside the version at `production`, so the approver decides on
// evidence (evaluations on the same dataset versions, signature, size, source run and its lineage).

export default function VersionReviewPage() {
  const { slug, id } = useParams<{ slug: string; id: string }>();
  const { me, workspace } = useMe(slug);
  const { data: review, error, reload } = usePolled(`/api/model-versions/${id}/review`, (j) => j as Review, 5000);
  const [message, setMessage] = useState<string | null>(null);
  if (!me || !workspace) return <main className="center">Loading…</main>;
  const canEdit = workspace.role !== 'viewer';
  const run = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
      setMessage(what);
      await reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };

  return (
    <>
      <AppHeader me={me} slug={slug} section="models" />
      <main className="page">
        <p className="small">
          <Link href={`/w/${slug}/models`}>← Model registry</Link>
        </p>
        {(error || message) && (
          <p className={error ? 'error' : 'notice'} data-testid="review-message">
            {error ?? message}
          </p>
        )}
        {review && (
          <>
            <h1>
              {review.candidate.model.name} v{review.candidate.version}{' '}
              <span className="badge" data-testid="review-status">
                {review.candidate.status}
              </span>{' '}
              {review.candidate.aliases.map((a) => (
                <span key={a} className="badge alias">
                  @{a}
                </span>
              ))}
            </h1>
            {review.candidate.status === 'pending' && workspace.approver && (
              <DecisionPanel
                onDecide={(decision, comment) =>
                  run(decision === 'approve' ? 'Approved.' : 'Rejected.', () =>
                    api('POST', `/api/model-versions/${id}/${decision}`, { comment }),
                  )
                }
              />
            )}
            {review.candidate.status === 'pending' && !workspace.approver && (
              <p className="muted">Waiting for a workspace approver to decide.</p>
            )}
            <section className="panel">
              <h2>Evidence {review.production ? <>against production (v{review.production.version})</> : null}</h2>
              {review.candidateIsProduction && <p className="notice">This version is the one at production.</p>}
              {!review.production && !review.candidateIsProduction && (
                <p className="muted">No version of this model is at production yet.</p>
              )}
              <ComparisonTable review={review} />
              <FactsTable candidate={review.candidate} production={review.production} signatureChanged={review.signatureChanged} />
            </section>
            <section className="panel">
              <h2>Lineage</h2>
              <LineageChain version={review.candidate} slug={slug} />
              {review.candidate.lineage.run && <RunFacts run={review.candidate.lineage.run} />}
            </section>
            <ModelCard
              version={review.candidate}
              canEdit={canEdit}
              onSave={(description) => run('Model card saved.', () => api('PATCH', `/api/model-versions/${id}`, { description }))}
            />
            {canEdit && (
              <EvaluationForm
                onRecord={(dataset, metrics) =>
                  run('Evaluation recorded.', () => api('POST', `/api/model-versions/${id}/evaluations`, { dataset, metrics }))
                }
              />
            )}
            <section className="panel">
              <h2>History</h2>
              <ul className="small" data-testid="version-history">
                {review.candidate.history.map((h, i) => (
                  <li key={i}>
                    {new Date(h.at).toLocaleString()} · <strong>{h.action}</strong> by {h.actorName ?? 'system'}
                    {typeof h.data.comment === 'string' && h.data.comment && <> · “{h.data.comment}”</>}
                  </li>
                ))}
              </ul>
            </section>
          </>
        )}
      </main>
    </>
  );
}

function DecisionPanel({ onDecide }: { onDecide: (decision: 'approve' | 'reject', comment: string) => Promise<void> }) {
  const [comment, setComment] = useState('');
  return (
    <section className="panel" data-testid="decision-panel">
      <h2>Decision</h2>
      <textarea placeholder="Why (kept in the audit log)" value={comment} onChange={(e) => setComment(e.target.value)} rows={2} />
      <p>
        <button onClick={() => void onDecide('approve', comment)} data-testid="review-approve">
          Approve
        </button>{' '}
        <button className="secondary" onClick={() => void onDecide('reject', comment)} data-testid="review-reject">
          Reject
        </button>
      </p>
    </section>
  );
}

function ComparisonTable({ review }: { review: Review }) {
  if (review.comparison.length === 0)
    return <p className="muted">No evaluations recorded: POST /api/model-versions/:id/evaluations with a dataset version and metrics.</p>;
  return (
    <table data-testid="evaluation-comparison">
      <thead>
        <tr>
          <th>dataset</th>
          <th>metric</th>
          <th>candidate</th>
          <th>production</th>
          <th>Δ</th>
        </tr>
      </thead>
      <tbody>
        {review.comparison.map((r) => (
          <tr key={`${r.dataset}/${r.metric}`}>
            <td>{r.dataset}</td>
            <td>{r.metric}</td>
            <td>{formatNumber(r.candidate)}</td>
            <td>{formatNumber(r.production)}</td>
            <td className={r.delta === null ? 'muted' : ''}>{r.delta === null ? '—' : (r.delta > 0 ? '+' : '') + formatNumber(r.delta)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FactsTable({
  candidate,
  production,
  signatureChanged,
}: {
  candidate: VersionFacts;
  production: VersionFacts | null;
  signatureChanged: boolean | null;
}) {
  const rows: Array<[string, (v: VersionFacts) => string]> = [
    ['version', (v) => `v${v.version} (${v.status})`],
    ['inputs', (v) => formatSignature(v.signature.inputs)],
    ['outputs', (v) => formatSignature(v.signature.outputs)],
    ['size', (v) => `${(v.size / 1024).toFixed(1)} KiB`],
    ['source run', (v) => (v.lineage.run ? `${v.lineage.run.name} (${v.lineage.run.status})` : 'uploaded file')],
    ['training data', (v) => v.lineage.datasets.map((d) => d.ref).join(', ') || '—'],
    ['created', (v) => new Date(v.createdAt).toLocaleString()],
  ];
  return (
    <table data-testid="version-facts">
      <thead>
        <tr>
          <th />
          <th>candidate</th>
          {production && <th>production</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, of]) => (
          <tr key={label}>
            <th>{label}</th>
            <td>{of(candidate)}</td>
            {production && <td>{of(production)}</td>}
          </tr>
        ))}
        {signatureChanged && (
          <tr>
            <td colSpan={3} className="error">
              The signature differs from production: devices and callers must send the new input shape.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function RunFacts({ run }: { run: NonNullable<VersionFacts['lineage']['run']> }) {
  return (
    <div className="columns small">
      <div>
        <h3>Params</h3>
        {run.params.length === 0 ? (
          <p className="muted">none</p>
        ) : (
          run.params.map((p) => (
            <div key={p.key}>
              {p.key} = {p.value}
            </div>
          ))
        )}
      </div>
      <div>
        <h3>Final and best metrics</h3>
        {run.metrics.length === 0 ? (
          <p className="muted">none</p>
        ) : (
          run.metrics.map((m) => (
            <div key={m.key}>
              {m.key} = {formatNumber(m.value)} (step {m.step}), best {formatNumber(m.best)} ({m.goal})
            </div>
          ))
        )}
        {run.metrics.slice(0, 4).map((m) => (
          <MetricChart key={m.key} runId={run.id} runName={run.name} metric={m.key} live={false} />
        ))}
        {run.training && (
          <p data-testid="review-training">
            background training: {run.training.status}, {run.training.attempts} attempt{run.training.attempts === 1 ? '' : 's'}
            {run.training.checkpointEpoch !== null ? `, checkpoint after epoch ${run.training.checkpointEpoch}` : ''}
          </p>
        )}
      </div>
    </div>
  );
}

function ModelCard({ version, canEdit, onSave }: { version: VersionFacts; canEdit: boolean; onSave: (text: string) => Promise<void> }) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <section className="panel" data-testid="model-card">
      <h2>Model card</h2>
      {draft === null ? (
        <>
          {version.description ? (
            <div className="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(version.description) }} />
          ) : (
            <p className="muted">No model card yet: intended use, training data, known limits.</p>
          )}
          {canEdit && (
            <button className="secondary" onClick={() => setDraft(version.description)} data-testid="edit-card">
              Edit
            </button>
          )}
        </>
      ) : (
        <>
          <textarea value={draft} onChange={(e) => setDraft(e.target.value)} rows={8} data-testid="card-text" />
          <p>
            <button onClick={() => void onSave(draft).then(() => setDraft(null))} data-testid="save-card">
              Save
            </button>{' '}
            <button className="secondary" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </p>
        </>
      )}
    </section>
  );
}

function EvaluationForm({ onRecord }: { onRecord: (dataset: string, metrics: Record<string, number>) => Promise<void> }) {
  const [dataset, setDataset] = useState('');
  const [metrics, setMetrics] = useState('{"accuracy": 0.9}');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(metrics);
    } catch {
      return setProblem('metrics must be a JSON object of numbers');
    }
    setProblem(null);
    void onRecord(dataset, parsed as Record<string, number>);
  };
  return (
    <section className="panel">
      <h2>Record an evaluation</h2>
      <p className="small muted">Metrics measured on a fixed dataset version (name@version), e.g. from an evaluation notebook.</p>
      <input placeholder="holdout@3" value={dataset} onChange={(e) => setDataset(e.target.value)} data-testid="eval-dataset" />{' '}
      <input value={metrics} onChange={(e) => setMetrics(e.target.value)} size={40} data-testid="eval-metrics" />{' '}
      <button onClick={submit}>Record</button>
      {problem && <p className="error">{problem}</p>}
    </section>
  );
}
