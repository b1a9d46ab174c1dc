'use client';

import { useState } from 'react';
import { api } from '../../_lib/api';

export interface ApprovedVersion {
  id: string;
  label: string;
}

/** Roll a version out to a group: all at once, canary first, or split A/B with a second version. */
export function DeploymentForm(props: { workspaceId: string; groups: string[]; versions: ApprovedVersion[]; onDone: () => void }) {
  const [group, setGroup] = useState(props.groups[0] ?? 'default');
  const [versionId, setVersionId] = useState('');
  const [canary, setCanary] = useState(100);
  const [threshold, setThreshold] = useState(20);
  // A canary is a check, not a countdown: advancing by itself is opt-in.
  const [autoAdvance, setAutoAdvance] = useState(false);
  const [variantId, setVariantId] = useState('');
  const [variantPercent, setVariantPercent] = useState(10);
  const [message, setMessage] = useState<string | null>(null);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    try {
      const { deployment } = await api<{ deployment: { stage: 'canary' | 'full'; canaryDeviceIds: string[] } }>(
        'POST',
        '/api/deployments',
        {
          workspaceId: props.workspaceId,
          group,
          versionId: versionId || props.versions[0]?.id,
          canaryPercent: canary,
          haltThreshold: threshold / 100,
          autoAdvance: canary < 100 && autoAdvance,
          ...(variantId ? { variant: { versionId: variantId, percent: variantPercent } } : {}),
        },
      );
      // Said from what the server did: a canary needs an older version serving the rest of the group.
      setMessage(
        deployment.stage === 'full'
          ? canary < 100
            ? `Deploying to all of ${group}: nothing else runs there yet, so there is no version for the rest to stay on (a canary needs one).`
            : `Deploying to all of ${group}.`
          : `Canary: ${deployment.canaryDeviceIds.length} device(s), ${canary} % of ${group}, first; ${autoAdvance ? 'the rest follows once every canary is healthy' : 'the rest waits until you press advance'}.`,
      );
      props.onDone();
    } catch (err) {
      setMessage((err as Error).message);
    }
  }
  if (props.versions.length === 0) return <p className="muted">No approved model versions to deploy yet.</p>;
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} data-testid="deployment-form">
      <h2>New deployment</h2>
      <div className="row">
        <label>
          group <input value={group} onChange={(e) => setGroup(e.target.value)} list="fleet-groups" required size={12} />
          <datalist id="fleet-groups">
            {props.groups.map((g) => (
              <option key={g} value={g} />
            ))}
          </datalist>
        </label>
        <label>
          version{' '}
          <select value={versionId} onChange={(e) => setVersionId(e.target.value)} data-testid="deploy-version">
            {props.versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          canary %{' '}
          <input
            type="number"
            min={1}
            max={100}
            value={canary}
            onChange={(e) => setCanary(Number(e.target.value))}
            style={{ width: 70 }}
            data-testid="canary-percent"
          />
        </label>
        <label title="off: the canary stays until someone presses advance">
          <input
            type="checkbox"
            checked={canary < 100 && autoAdvance}
            disabled={canary >= 100}
            onChange={(e) => setAutoAdvance(e.target.checked)}
            data-testid="auto-advance"
          />{' '}
          advance by itself when the canaries are healthy
        </label>
        <label>
          halt above % failed{' '}
          <input
            type="number"
            min={0}
            max={100}
            value={threshold}
            onChange={(e) => setThreshold(Number(e.target.value))}
            style={{ width: 70 }}
          />
        </label>
      </div>
      <div className="row">
        <label>
          A/B variant{' '}
          <select value={variantId} onChange={(e) => setVariantId(e.target.value)}>
            <option value="">none</option>
            {props.versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        {variantId && (
          <label>
            variant share %{' '}
            <input
              type="number"
              min={1}
              max={99}
              value={variantPercent}
              onChange={(e) => setVariantPercent(Number(e.target.value))}
              style={{ width: 70 }}
            />
          </label>
        )}
        <button type="submit">Deploy</button>
      </div>
      {message && <p className="small">{message}</p>}
    </form>
  );
}
