'use client';

import { useState } from 'react';
import { registryEventTypes } from '../../../core/contracts/messages/registry-event';
import { api } from '../../_lib/api';
import { usePolled } from '../../_lib/use-workspace-data';

interface Hook {
  id: string;
  url: string;
  events: string[];
}
interface Delivery {
  eventId: number;
  type: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
}

/** Owners point registry events (version created / approved / alias moved …) at their own endpoints. */
export function WebhooksPanel({ workspaceId }: { workspaceId: string }) {
  const { data: hooks, reload } = usePolled(`/api/workspaces/${workspaceId}/webhooks`, (j) => (j as { webhooks: Hook[] }).webhooks, 10_000);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const add = async () => {
    try {
      const created = await api<{ secret: string }>('POST', `/api/workspaces/${workspaceId}/webhooks`, { url });
      setSecret(created.secret);
      setUrl('');
      setMessage(null);
      await reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const remove = async (id: string) => {
    await api('DELETE', `/api/webhooks/${id}`).catch((e: Error) => setMessage(e.message));
    await reload();
  };
  return (
    <section className="panel" data-testid="webhooks">
      <h2>Webhooks</h2>
      <p className="small muted">
        POSTs every registry event ({registryEventTypes.join(', ')}) as JSON, signed:{' '}
        <code>X-Ferry-Signature: sha256=HMAC(secret, body)</code>. Failed deliveries are retried 8 times with backoff.
      </p>
      {message && <p className="error">{message}</p>}
      {secret && (
        <p className="notice">
          Secret (shown once): <code data-testid="webhook-secret">{secret}</code>
        </p>
      )}
      <ul>
        {(hooks ?? []).map((h) => (
          <li key={h.id}>
            <code>{h.url}</code> {h.events.length ? h.events.join(', ') : 'all events'}{' '}
            <button className="secondary" onClick={() => setOpen(open === h.id ? null : h.id)}>
              Deliveries
            </button>{' '}
            <button className="secondary" onClick={() => void remove(h.id)}>
              Delete
            </button>
            {open === h.id && <DeliveryLog webhookId={h.id} />}
          </li>
        ))}
      </ul>
      <input placeholder="https://example.com/hooks/ferry" value={url} onChange={(e) => setUrl(e.target.value)} size={40} />{' '}
      <button onClick={() => void add()} disabled={!url}>
        Add webhook
      </button>
    </section>
  );
}

function DeliveryLog({ webhookId }: { webhookId: string }) {
  const { data } = usePolled(`/api/webhooks/${webhookId}/deliveries`, (j) => (j as { deliveries: Delivery[] }).deliveries, 3000);
  if (!data) return null;
  if (data.length === 0) return <p className="muted small">No deliveries yet.</p>;
  return (
    <table className="small">
      <tbody>
        {data.map((d) => (
          <tr key={d.eventId}>
            <td>#{d.eventId}</td>
            <td>{d.type}</td>
            <td>{d.status}</td>
            <td>{d.attempts} tries</td>
            <td>{d.responseStatus ?? ''}</td>
            <td className="error">{d.lastError ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
