'use client';

import { useParams } from 'next/navigation';
import { useFormDialog } from '../../../_components/form-dialog';
import { useState } from 'react';
import { AppHeader } from '../../../_components/app-header';
import { api } from '../../../_lib/api';
import { useMe } from '../../../_lib/use-me';
import { usePolled } from '../../../_lib/use-workspace-data';
import { AlertsPanel, type AlertRow } from '../../../_components/fleet/alerts-panel';
import { DeploymentForm } from '../../../_components/fleet/deployment-form';
import { DriftPanel, type DriftReportRow } from '../../../_components/fleet/drift-panel';
import { GroupCard, type GroupRow } from '../../../_components/fleet/group-card';

interface DeviceRow {
  id: string;
  name: string;
  group: string;
  revoked: boolean;
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
  const dialog = useFormDialog();
  const {
    data: devices,
    error,
    reload: reloadDevices,
  } = usePolled(workspace ? `/api/devices?workspaceId=${workspace.id}` : null, (j) => (j as { devices: DeviceRow[] }).devices);
  const ws = workspace?.id;
  const fleet = usePolled(ws ? `/api/fleet?workspaceId=${ws}` : null, (j) => (j as { groups: GroupRow[] }).groups);
  const drift = usePolled(
    ws ? `/api/fleet/drift?workspaceId=${ws}&hours=24` : null,
    (j) => (j as { reports: DriftReportRow[] }).reports,
    10_000,
  );
  const alerts = usePolled(ws ? `/api/fleet/alerts?workspaceId=${ws}` : null, (j) => (j as { alerts: AlertRow[] }).alerts, 5000);
  const models = usePolled(
    ws ? `/api/models?workspaceId=${ws}` : null,
    (j) =>
      (j as { models: Array<{ name: string; versions: Array<{ id: string; version: number; status: string }> }> }).models.flatMap((m) =>
        m.versions.filter((v) => v.status === 'approved').map((v) => ({ id: v.id, label: `${m.name} v${v.version}` })),
      ),
    10_000,
  );
  const [token, setToken] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  if (!me || !workspace) return <main className="center">Loading…</main>;
  const isOwner = workspace.role === 'owner';
  const canDeploy = workspace.role !== 'viewer' && workspace.approver;
  const groups = (fleet.data ?? []).map((g) => g.group);

  async function enroll() {
    const values = await dialog.ask({
      title: 'Enroll a device',
      message: 'You get a one-time enrollment token to give the device’s agent.',
      fields: [
        { name: 'deviceName', label: 'Device name', defaultValue: 'edge-device', required: true },
        { name: 'group', label: 'Group', defaultValue: groups[0] ?? 'default', required: true },
      ],
      confirmLabel: 'Create enrollment token',
    });
    const deviceName = values?.deviceName?.trim();
    if (!deviceName) return;
    const group = values?.group?.trim() || 'default';
    try {
      setToken((await api<{ token: string }>('POST', '/api/enrollment-tokens', { workspaceId: workspace!.id, deviceName, group })).token);
    } catch (e) {
      setMessage((e as Error).message);
    }
  }

  async function manage(device: DeviceRow, action: 'move' | 'revoke') {
    try {
      if (action === 'move') {
        const values = await dialog.ask({
          title: `Move ${device.name}`,
          fields: [{ name: 'group', label: 'To group', defaultValue: device.group, required: true }],
          confirmLabel: 'Move',
        });
        const group = values?.group?.trim();
        if (!group) return;
        await api('PATCH', `/api/devices/${device.id}`, { group });
      } else {
        const sure = await dialog.confirm({
          title: `Revoke ${device.name}?`,
          message: 'It will be refused from its next request on.',
          confirmLabel: 'Revoke',
          danger: true,
        });
        if (!sure) return;
        await api('POST', `/api/devices/${device.id}/revoke`);
      }
      setMessage(null);
      await Promise.all([reloadDevices(), fleet.reload()]);
    } catch (e) {
      setMessage((e as Error).message);
    }
  }

  return (
    <>
      <AppHeader me={me} slug={slug} section="devices" />
      {dialog.element}
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
        <h2>Groups and rollouts</h2>
        {(fleet.data ?? []).map((g) => (
          <GroupCard key={g.group} row={g} canDeploy={canDeploy} onChanged={() => void fleet.reload()} />
        ))}
        {canDeploy && (
          <DeploymentForm workspaceId={workspace.id} groups={groups} versions={models.data ?? []} onDone={() => void fleet.reload()} />
        )}
        <h2>Drift alerts</h2>
        <AlertsPanel
          alerts={alerts.data ?? []}
          slug={slug}
          canRetrain={workspace.role !== 'viewer'}
          onChanged={() => void alerts.reload()}
        />
        <h2>Devices</h2>
        <table data-testid="devices-table">
          <thead>
            <tr>
              <th>device</th>
              <th>group</th>
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
                <td>
                  {d.name}
                  {d.revoked && <span className="badge">revoked</span>}
                  {isOwner && !d.revoked && (
                    <div className="small">
                      <a href="#" onClick={(e) => (e.preventDefault(), void manage(d, 'move'))}>
                        move
                      </a>{' '}
                      ·{' '}
                      <a href="#" onClick={(e) => (e.preventDefault(), void manage(d, 'revoke'))}>
                        revoke
                      </a>
                    </div>
                  )}
                </td>
                <td>
                  <code>{d.group}</code>
                </td>
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
                <td colSpan={7} className="muted">
                  No devices yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <h2>Drift over time (24 h)</h2>
        <DriftPanel reports={drift.data ?? []} />
      </main>
    </>
  );
}
