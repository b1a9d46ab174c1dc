'use client';

import Link from 'next/link';
import { useFormDialog } from '../../../_components/form-dialog';
import { useParams } from 'next/navigation';
import { useState } from 'react';
import { AppHeader } from '../../../_components/app-header';
import { WebhooksPanel } from '../../../_components/registry/webhooks-panel';
import { api } from '../../../_lib/api';
import { useMe } from '../../../_lib/use-me';
import { usePolled } from '../../../_lib/use-workspace-data';

interface ModelRow {
  id: string;
  name: string;
  description: string;
  autoRetrainMinutes: number | null;
  autoRetrainDataRef: string | null;
  versions: Array<{
    id: string;
    version: number;
    status: 'pending' | 'approved' | 'rejected';
    runId: string | null;
    size: number;
    createdAt: string;
    onnxSha256: string;
  }>;
}

export default function ModelsPage() {
  const { slug } = useParams<{ slug: string }>();
  const { me, workspace } = useMe(slug);
  const dialog = useFormDialog();
  const {
    data: models,
    error,
    reload,
  } = usePolled(workspace ? `/api/models?workspaceId=${workspace.id}` : null, (j) => (j as { models: ModelRow[] }).models);
  const [message, setMessage] = useState<string | null>(null);
  if (!me || !workspace) return <main className="center">Loading…</main>;

  const act = async (versionId: string, action: 'approve' | 'reject' | 'deploy') => {
    let comment: string | undefined;
    if (action !== 'deploy') {
      const values = await dialog.ask({
        title: action === 'approve' ? 'Approve this version' : 'Reject this version',
        message: 'The comment is kept in the version’s audit history.',
        fields: [{ name: 'comment', label: 'Comment', placeholder: action === 'approve' ? 'parity checked, ship it' : 'why not' }],
        confirmLabel: action === 'approve' ? 'Approve' : 'Reject',
      });
      if (!values) return;
      comment = values.comment?.trim() || undefined;
    }
    try {
      await api('POST', `/api/model-versions/${versionId}/${action}`, comment ? { comment } : {});
      setMessage(`${action === 'deploy' ? 'Deployed' : action === 'approve' ? 'Approved' : 'Rejected'}.`);
      await reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };

  const setAutoRetrain = async (model: ModelRow) => {
    const values = await dialog.ask({
      title: `Automatic retraining of ${model.name}`,
      fields: [
        {
          name: 'minutes',
          label: 'Retrain when drift lasts this many minutes (blank: off)',
          defaultValue: String(model.autoRetrainMinutes ?? ''),
        },
        {
          name: 'dataRef',
          label: 'Data to retrain on (ferry.params.dataRef; blank: as recorded)',
          defaultValue: model.autoRetrainDataRef ?? '',
        },
      ],
      confirmLabel: 'Save',
    });
    if (!values) return;
    const minutes = values.minutes ?? '';
    const dataRef = minutes.trim() === '' ? null : (values.dataRef ?? '');
    try {
      await api('PUT', `/api/models/${model.id}/auto-retrain`, {
        minutes: minutes.trim() === '' ? null : Number(minutes),
        dataRef: dataRef?.trim() ? dataRef.trim() : null,
      });
      await reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };

  return (
    <>
      <AppHeader me={me} slug={slug} section="models" />
      {dialog.element}
      <main className="page">
        <h1>Model registry</h1>
        {(error || message) && (
          <p className={error ? 'error' : 'notice'} data-testid="models-message">
            {error ?? message}
          </p>
        )}
        {models?.length === 0 && <p className="muted">No registered models yet: promote a run that logged a model.</p>}
        {(models ?? []).map((model) => (
          <section className="panel" key={model.id} data-testid="model">
            <h2>{model.name}</h2>
            <p className="small muted" data-testid="auto-retrain">
              {model.autoRetrainMinutes === null
                ? 'Retrains only when someone presses retrain on a drift alert.'
                : `Retrains by itself when drift lasts ${model.autoRetrainMinutes} min (data: ${model.autoRetrainDataRef ?? 'as recorded'}); never deploys.`}{' '}
              {workspace.role !== 'viewer' && (
                <button className="link" onClick={() => void setAutoRetrain(model)}>
                  change
                </button>
              )}
            </p>
            <table>
              <thead>
                <tr>
                  <th>version</th>
                  <th>status</th>
                  <th>size</th>
                  <th>sha256</th>
                  <th>created</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {model.versions.map((v) => (
                  <tr key={v.id} data-testid="model-version">
                    <td>
                      <Link href={`/w/${slug}/models/versions/${v.id}`} data-testid="version-link">
                        v{v.version}
                      </Link>
                    </td>
                    <td>
                      <span className="badge" data-testid="version-status">
                        {v.status}
                      </span>
                    </td>
                    <td>{v.size} B</td>
                    <td>
                      <code>{v.onnxSha256.slice(0, 12)}…</code>
                    </td>
                    <td className="small">{new Date(v.createdAt).toLocaleString()}</td>
                    <td>
                      {v.status === 'pending' && workspace.approver && (
                        <>
                          <Link href={`/w/${slug}/models/versions/${v.id}`}>Review</Link>{' '}
                          <button onClick={() => void act(v.id, 'approve')} data-testid="approve-version">
                            Approve
                          </button>{' '}
                          <button className="secondary" onClick={() => void act(v.id, 'reject')}>
                            Reject
                          </button>
                        </>
                      )}
                      {v.status === 'approved' && workspace.approver && (
                        <button onClick={() => void act(v.id, 'deploy')} data-testid="deploy-version">
                          Deploy to devices
                        </button>
                      )}{' '}
                      <a href={`/api/model-versions/${v.id}/onnx`}>ONNX</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
        {workspace.role === 'owner' && <WebhooksPanel workspaceId={workspace.id} />}
      </main>
    </>
  );
}
