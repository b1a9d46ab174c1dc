'use client';

import { useEffect, useState } from 'react';
import { api } from '../_lib/api';
import { usePolled } from '../_lib/use-workspace-data';

interface TrainingRow {
  id: string;
  cellId: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  requirements: { gpu: boolean; label?: string };
  attempts: number;
  workerId: string | null;
  backend: string | null;
  progress: { epoch: number; epochs: number; etaMs: number | null; logs?: Record<string, number> } | null;
  checkpoint: { epoch: number } | null;
  runId: string | null;
  error: string | null;
  requestedBy: string | null;
  createdAt: string;
}

/** Dispatched on window by whatever queues a training on this page. */
export const TRAINING_QUEUED_EVENT = 'ferry:training-queued';

const eta = (ms: number | null) =>
  ms === null ? '' : ms < 60_000 ? `${Math.round(ms / 1000)} s left` : `${Math.round(ms / 60_000)} min left`;

/** The notebook's background trainings, for everyone in it: who queued what, where it runs, how far it got. */
export function TrainingsPanel({ notebookId, readOnly, slug }: { notebookId: string; readOnly: boolean; slug: string }) {
  // Briskly while a training is queued or running, slowly otherwise (a new one shows within 10 s).
  const [busy, setBusy] = useState(true);
  const { data: trainings, reload } = usePolled(
    `/api/trainings?notebookId=${notebookId}`,
    (j) => (j as { trainings: TrainingRow[] }).trainings,
    busy ? 2000 : 10_000,
  );
  useEffect(() => setBusy(!!trainings?.some((t) => t.status === 'queued' || t.status === 'running')), [trainings]);
  // A training queued from this page shows at once, not at the next slow poll.
  useEffect(() => {
    const onQueued = () => {
      setBusy(true);
      void reload();
    };
    window.addEventListener(TRAINING_QUEUED_EVENT, onQueued);
    return () => window.removeEventListener(TRAINING_QUEUED_EVENT, onQueued);
  }, [reload]);
  const [log, setLog] = useState<{ id: string; text: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  if (!trainings || trainings.length === 0) return null;
  const showLog = async (id: string) => {
    if (log?.id === id) return setLog(null);
    const detail = await api<{ log: string }>('GET', `/api/trainings/${id}`);
    setLog({ id, text: detail.log });
  };
  const cancel = async (id: string) => {
    try {
      await api('POST', `/api/trainings/${id}/cancel`);
      await reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  return (
    <section className="panel" data-testid="trainings">
      <h2>Background trainings</h2>
      {message && <p className="error">{message}</p>}
      <table className="small">
        <tbody>
          {trainings.map((t) => (
            <tr key={t.id} data-testid="training-row">
              <td>
                <span className="badge" data-testid="training-status">
                  {t.status}
                </span>
              </td>
              <td>
                cell <code>{t.cellId.slice(0, 8)}</code> by {t.requestedBy ?? '—'}
                {(t.requirements.gpu || t.requirements.label) && (
                  <span className="muted">
                    {' '}
                    · needs {[t.requirements.gpu ? 'GPU' : null, t.requirements.label].filter(Boolean).join(', ')}
                  </span>
                )}
              </td>
              <td>
                {t.workerId ? (
                  <>
                    {t.workerId} ({t.backend}){t.attempts > 1 && <> · attempt {t.attempts}</>}
                  </>
                ) : (
                  'waiting for a worker'
                )}
              </td>
              <td style={{ minWidth: 180 }}>
                {t.progress && (
                  <>
                    <progress value={t.progress.epoch} max={t.progress.epochs} /> {t.progress.epoch}/{t.progress.epochs}{' '}
                    {t.status === 'running' && <span className="muted">{eta(t.progress.etaMs)}</span>}
                  </>
                )}
                {t.checkpoint && <div className="muted">checkpoint after epoch {t.checkpoint.epoch}</div>}
              </td>
              <td>
                {t.error && t.status !== 'succeeded' && <span className="error">{t.error}</span>}{' '}
                <button className="link" onClick={() => void showLog(t.id)}>
                  log
                </button>{' '}
                {t.runId && (
                  <a href={`/w/${slug}/runs/${t.runId}`} data-testid="training-run-link">
                    run
                  </a>
                )}{' '}
                {!readOnly && (t.status === 'queued' || t.status === 'running') && (
                  <button className="link" onClick={() => void cancel(t.id)} data-testid="cancel-training">
                    cancel
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {log && <pre className="training-log">{log.text || '(nothing printed yet)'}</pre>}
    </section>
  );
}
