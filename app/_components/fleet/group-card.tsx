'use client';

import { useState } from 'react';
import { useFormDialog } from '../form-dialog';
import { api } from '../../_lib/api';
import { AbCompare } from './ab-compare';

export interface GroupRow {
  group: string;
  devices: Record<string, number>;
  deployment: {
    id: string;
    status: 'active' | 'halted' | 'rolled_back' | 'superseded';
    stage: 'canary' | 'full';
    version: { id: string; label: string | null };
    previous: { id: string; label: string | null } | null;
    variant: { id: string; label: string | null; percent: number } | null;
    alias: string | null;
    canaryPercent: number;
    autoAdvance: boolean;
    canaries: number;
    haltThreshold: number;
    haltReason: string | null;
    health: { targeted: number; failed: number; healthy: number };
    updatedAt: string;
  } | null;
}

type Action = 'advance' | 'halt' | 'resume' | 'rollback';

function actionsFor(d: NonNullable<GroupRow['deployment']>): Action[] {
  if (d.status === 'active') return d.stage === 'canary' ? ['advance', 'halt', 'rollback'] : ['halt', 'rollback'];
  if (d.status === 'halted') return ['resume', 'rollback'];
  return [];
}

/** One device group: who is healthy, what is rolling out, how far, and the buttons to steer it. */
export function GroupCard({ row, canDeploy, onChanged }: { row: GroupRow; canDeploy: boolean; onChanged: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const [showAb, setShowAb] = useState(false);
  const dialog = useFormDialog();
  const d = row.deployment;
  async function act(action: Action) {
    if (
      action === 'rollback' &&
      !(await dialog.confirm({
        title: `Roll group ${row.group} back?`,
        message: `Every device of the group goes back to ${d?.previous?.label ?? 'its previous version'}.`,
        confirmLabel: 'Roll back',
        danger: true,
      }))
    )
      return;
    try {
      await api('POST', `/api/deployments/${d!.id}/action`, { action });
      setMessage(null);
      onChanged();
    } catch (e) {
      setMessage((e as Error).message);
    }
  }
  const total = Object.values(row.devices).reduce((a, b) => a + b, 0);
  return (
    <section className="panel" data-testid="group-card">
      {dialog.element}
      <div className="row">
        <h2>
          group <code>{row.group}</code>
        </h2>
        <span className="muted small">
          {total} device{total === 1 ? '' : 's'}:{' '}
          {Object.entries(row.devices)
            .map(([health, n]) => `${n} ${health}`)
            .join(', ')}
        </span>
      </div>
      {!d && <p className="muted">Nothing deployed to this group.</p>}
      {d && (
        <>
          <p data-testid="group-deployment">
            <span className="badge" data-testid="deployment-status">
              {d.status.replace('_', ' ')}
              {d.status === 'active' ? ` · ${d.stage}` : ''}
            </span>{' '}
            <strong>{d.version.label}</strong>
            {d.alias && <span className="muted"> (alias {d.alias})</span>}
            {d.previous && <span className="muted"> · previous {d.previous.label}</span>}
            {d.variant && (
              <span>
                {' '}
                · A/B: <strong>{d.variant.label}</strong> takes {d.variant.percent} %
              </span>
            )}
          </p>
          {d.stage === 'canary' && d.status === 'active' && (
            <p className="small" data-testid="canary-plan">
              canary: {d.canaries} device{d.canaries === 1 ? '' : 's'} ({d.canaryPercent} %);{' '}
              {d.autoAdvance
                ? 'advances to the whole group by itself once every canary runs it healthily'
                : 'held here: the rest of the group gets it only when someone presses advance'}
              ; halts when more than {(d.haltThreshold * 100).toFixed(0)} % fail
            </p>
          )}
          <div className="progress" title={`${d.health.healthy} healthy, ${d.health.failed} failed of ${d.health.targeted}`}>
            <div style={{ width: `${(d.health.healthy / Math.max(1, d.health.targeted)) * 100}%`, background: '#1a7f37' }} />
            <div style={{ width: `${(d.health.failed / Math.max(1, d.health.targeted)) * 100}%`, background: '#cf222e' }} />
          </div>
          <p className="small" data-testid="rollout-health">
            {d.health.healthy} of {d.health.targeted} targeted devices run it healthily, {d.health.failed} failed
          </p>
          {d.haltReason && <p className="error small">halted: {d.haltReason}</p>}
          {canDeploy && (
            <div className="row">
              {actionsFor(d).map((a) => (
                <button key={a} className={a === 'rollback' || a === 'halt' ? 'secondary' : undefined} onClick={() => void act(a)}>
                  {a}
                </button>
              ))}
              {d.variant && (
                <button className="secondary" onClick={() => setShowAb((s) => !s)}>
                  {showAb ? 'hide' : 'compare'} A/B
                </button>
              )}
            </div>
          )}
          {!canDeploy && d.variant && (
            <button className="secondary" onClick={() => setShowAb((s) => !s)}>
              {showAb ? 'hide' : 'compare'} A/B
            </button>
          )}
          {showAb && <AbCompare deploymentId={d.id} />}
        </>
      )}
      {message && <p className="error">{message}</p>}
    </section>
  );
}
