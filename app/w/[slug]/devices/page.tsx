'use client';

import { useParams } from 'next/navigation';
import { useState } from 'react';
import { AppHeader } from '../../../_components/app-header';
import { api } from '../../../_lib/api';
import { useMe } from '../../../_lib/use-me';
import { usePolled } from '../../../_lib/use-workspace-data';

interface DeviceRow {
  id: string;
  name: string;
  health: string;
  lastError: string | null;
  backend: string | null;
  lastSeenAt: string | null;
  model: { versionId: string; name: string | null; version: number | null } | null;
  latestDrift: { windowEnd: string; sampleCount: number; features: Array<{ name: string; psi: number | null; drift: boolean }> } | null;
}

export default function DevicesPage() {
  const { slug } = useParams<{ slug: string }>();
  const { me, workspace } = useMe(slug);
  const { data: devices, error } = usePolled(
    workspace ? `/api/devices?workspaceId=${workspace.id}` : null,
    (j) => (j as { devices: DeviceRow[] }).devices,
  );
  const [token, setToken] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  if (!me || !workspace) return <main className="center">Loading…</main>;

  async function enroll() {
    const deviceName = window.prompt('Device name', 'edge-device');
    if (!deviceName) return;
    try {
      setToken((await api<{ token: string }>('POST', '/api/enrollment-tokens', { workspaceId: workspace!.id, deviceName })).token);
    } catch (e) {
      setMessage((e as Error).message);
    }
  }

  return (
    <>
      <AppHeader me={me} slug={slug} section="devices" />
      <main className="page">
        <div className="row">
          <h1>Devices</h1>
          <span className="spacer" />
          {workspace.role === 'owner' && <button onClick={() => void enroll()}>Enroll a device</button>}
        </div>
        {token && (
          <p className="notice">
            One-time enrollment token (shown once, valid 24 h): <code>{token}</code>
            <br />
            On the device:{' '}
            <code>
              npm run agent -- --server {typeof window !== 'undefined' ? window.location.origin : ''} --enroll {token}
            </code>
          </p>
        )}
        {(error || message) && <p className="error">{error ?? message}</p>}
        <table data-testid="devices-table">
          <thead>
            <tr>
              <th>device</th>
              <th>model</th>
              <th>health</th>
              <th>backend</th>
              <th>last seen</th>
              <th>drift per feature (PSI, latest window)</th>
            </tr>
          </thead>
          <tbody>
            {(devices ?? []).map((d) => (
              <tr key={d.id} data-testid="device-row">
                <td>{d.name}</td>
                <td data-testid="device-model">{d.model ? `${d.model.name} v${d.model.version}` : '—'}</td>
                <td>
                  <span className="badge">{d.health}</span>
                  {d.lastError && <div className="error small">{d.lastError}</div>}
                </td>
                <td className="small">{d.backend ?? '—'}</td>
                <td className="small">{d.lastSeenAt ? new Date(d.lastSeenAt).toLocaleString() : 'never'}</td>
                <td data-testid="device-drift">
                  {d.latestDrift
                    ? d.latestDrift.features.map((f) => (
                        <span
                          key={f.name}
                          className="badge"
                          style={{ background: f.drift ? '#ffebe9' : undefined, marginRight: 4 }}
                          data-testid="feature-drift"
                        >
                          {f.name}: {f.psi === null ? 'n/a' : f.psi.toFixed(3)}
                          {f.drift ? ' drift' : ''}
                        </span>
                      ))
                    : 'no report yet'}
                </td>
              </tr>
            ))}
            {devices?.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  No devices yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </main>
    </>
  );
}
