'use client';

import { useState } from 'react';
import { useFormDialog } from '../form-dialog';
import { api } from '../../_lib/api';

export interface AlertRow {
  id: string;
  deviceName: string;
  model: string | null;
  feature: string;
  reason: string;
  firstSeenAt: string;
  lastSeenAt: string;
  reports: number;
  status: 'open' | 'resolved';
  retrainRunId: string | null;
  /** Dataset versions the retraining run read (null before a retraining). */
  retrainData?: string[] | null;
}

/** Open drift alerts, one per device, version and feature; resolve, or retrain the source notebook. */
export function AlertsPanel(props: { alerts: AlertRow[]; slug: string; canRetrain: boolean; onChanged: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const dialog = useFormDialog();
  /** Asks the server to retrain; a notebook that hard-codes its data is re-run on it only when confirmed. */
  async function retrain(alert: AlertRow, dataRef: string | undefined) {
    const path = `/api/fleet/alerts/${alert.id}/retrain`;
    try {
      return await api<{ runId: string | null; executionIds: string[] }>('POST', path, dataRef ? { dataRef } : {});
    } catch (e) {
      if (!/hard-codes its dataset/.test((e as Error).message)) throw e;
      const sure = await dialog.confirm({
        title: 'The notebook hard-codes its data',
        message: (e as Error).message,
        confirmLabel: 'Retrain on the data it names',
      });
      if (!sure) return null;
      return api<{ runId: string | null; executionIds: string[] }>('POST', path, { dataRef, useRecordedData: true });
    }
  }
  async function act(alert: AlertRow, action: 'resolve' | 'retrain') {
    try {
      if (action === 'retrain') {
        const values = await dialog.ask({
          title: `Retrain ${alert.model ?? 'the model'}`,
          message: 'Re-runs the notebook version that made this model, as one run; nothing is deployed without approval.',
          fields: [
            { name: 'dataRef', label: 'Newer data to train on (dataset name@version; blank: the recorded data)', placeholder: 'churn@4' },
          ],
          confirmLabel: 'Retrain',
        });
        if (!values) return;
        const r = await retrain(alert, values.dataRef?.trim() || undefined);
        if (!r) return;
        setMessage(
          `Retraining: ${r.executionIds.length} cell${r.executionIds.length === 1 ? '' : 's'} queued; the new run will be linked to this alert.`,
        );
      } else {
        await api('POST', `/api/fleet/alerts/${alert.id}/resolve`, {});
      }
      props.onChanged();
    } catch (e) {
      setMessage((e as Error).message);
    }
  }
  if (props.alerts.length === 0) return <p className="muted">No open drift alerts.</p>;
  return (
    <>
      {dialog.element}
      <table data-testid="alerts-table">
        <thead>
          <tr>
            <th>device</th>
            <th>model</th>
            <th>feature</th>
            <th>why</th>
            <th>since</th>
            <th>reports</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.alerts.map((a) => (
            <tr key={a.id} data-testid="alert-row">
              <td>{a.deviceName}</td>
              <td>{a.model}</td>
              <td>{a.feature}</td>
              <td className="small">{a.reason}</td>
              <td className="small">{new Date(a.firstSeenAt).toLocaleString()}</td>
              <td>{a.reports}</td>
              <td>
                {a.retrainRunId ? (
                  <>
                    <a href={`/w/${props.slug}/runs/${a.retrainRunId}`}>retrain run</a>
                    <span className="small muted" data-testid="retrain-data">
                      {' '}
                      on {a.retrainData?.length ? a.retrainData.join(', ') : 'no dataset read through ferry.useDataset'}
                    </span>
                  </>
                ) : (
                  props.canRetrain && (
                    <button className="secondary" onClick={() => void act(a, 'retrain')}>
                      retrain
                    </button>
                  )
                )}{' '}
                {props.canRetrain && (
                  <button className="secondary" onClick={() => void act(a, 'resolve')}>
                    resolve
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {message && <p className="small">{message}</p>}
    </>
  );
}
