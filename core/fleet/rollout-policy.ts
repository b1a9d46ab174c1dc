import { assertNever } from '../assert-never';

// The rollout rules, pure so the server, the simulations in tests and the benchmark share one truth:
// which devices are canaries, which version a device should run, when a rollout halts or advances.

export type DeploymentStatus = 'active' | 'halted' | 'rolled_back' | 'superseded';
export type DeploymentStage = 'canary' | 'full';

export interface RolloutDeployment {
  id: string;
  status: DeploymentStatus;
  stage: DeploymentStage;
  /** The version being rolled out, and what the group ran before it (null: nothing). */
  versionId: string;
  previousVersionId: string | null;
  canaryDeviceIds: readonly string[];
  /** A/B: a second version taking `variantPercent` % of each device's traffic. */
  variantVersionId: string | null;
  variantPercent: number;
}

export interface DeviceTarget {
  versionId: string;
  variant: { versionId: string; percent: number } | null;
}

/** FNV-1a: a stable, well-spread 32-bit hash, so canary choice does not depend on enrollment order. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The canaries of a rollout: the `percent` share of the group's devices (at least one when the group
 * has any and percent > 0) with the lowest hash of (deployment, device). Chosen once, at creation.
 */
export function chooseCanaries(deploymentId: string, deviceIds: readonly string[], percent: number): string[] {
  if (percent >= 100 || deviceIds.length === 0) return [...deviceIds];
  if (percent <= 0) return [];
  const count = Math.max(1, Math.round((percent / 100) * deviceIds.length));
  return [...deviceIds]
    .map((id) => ({ id, h: stableHash(`${deploymentId}:${id}`) }))
    .sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1))
    .slice(0, count)
    .map((d) => d.id);
}

/** What one device should run under a deployment; null when the group should run nothing. */
export function targetFor(deployment: RolloutDeployment, deviceId: string): DeviceTarget | null {
  const fallback = deployment.previousVersionId ? { versionId: deployment.previousVersionId, variant: null } : null;
  const rollout: DeviceTarget = {
    versionId: deployment.versionId,
    variant:
      deployment.variantVersionId && deployment.variantPercent > 0
        ? { versionId: deployment.variantVersionId, percent: deployment.variantPercent }
        : null,
  };
  switch (deployment.status) {
    case 'superseded':
    case 'rolled_back':
    case 'halted':
      // A halted rollout puts its canaries back on the version that worked; resume re-opens it.
      return fallback;
    case 'active':
      if (deployment.stage === 'full') return rollout;
      return deployment.canaryDeviceIds.includes(deviceId) ? rollout : fallback;
    default:
      return assertNever(deployment.status);
  }
}

export interface RolloutHealth {
  /** Devices the new version was sent to so far (canaries, or the whole group once full). */
  targeted: number;
  /** Of those, devices that refused or failed the new version (health check, integrity, load). */
  failed: number;
  /** Of those, devices serving the new version and healthy. */
  healthy: number;
}

export type RolloutDecision = { action: 'halt'; reason: string } | { action: 'advance' } | { action: 'none' };

/**
 * Halts when the share of failed devices passes the threshold (a fraction, 0.2 = 20 %); advances a
 * canary stage once every canary serves the new version healthily.
 */
export function decideRollout(
  deployment: Pick<RolloutDeployment, 'status' | 'stage'> & { haltThreshold: number; autoAdvance: boolean; versionLabel: string },
  health: RolloutHealth,
): RolloutDecision {
  if (deployment.status !== 'active' || health.targeted === 0) return { action: 'none' };
  const share = health.failed / health.targeted;
  if (health.failed > 0 && share > deployment.haltThreshold) {
    return {
      action: 'halt',
      reason: `${health.failed} of ${health.targeted} ${deployment.stage === 'canary' ? 'canary ' : ''}devices failed ${deployment.versionLabel} (${(share * 100).toFixed(0)} % > threshold ${(deployment.haltThreshold * 100).toFixed(0)} %)`,
    };
  }
  if (deployment.stage === 'canary' && deployment.autoAdvance && health.healthy === health.targeted) return { action: 'advance' };
  return { action: 'none' };
}

/** A/B assignment of one prediction: deterministic per request key, so a retried request sees one model. */
export function pickVariant(percent: number, key: string): boolean {
  return percent > 0 && stableHash(key) % 10_000 < percent * 100;
}
