import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { deployments, devices, driftAlerts, driftReports, modelVersions, predictionStats, registeredModels } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { conflict, notFound } from '../../errors';
import { authorizeWorkspace } from '../../policies/authorize';
import { rolloutHealth } from './rollout-evaluator';

async function versionLabels(db: Db, ids: Array<string | null>) {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: modelVersions.id, version: modelVersions.version, name: registeredModels.name })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(inArray(modelVersions.id, wanted));
  return new Map(rows.map((r) => [r.id, `${r.name} v${r.version}`]));
}

/** Each group: its devices by health and its current deployment with rollout progress. */
export async function fleetOverviewReader(db: Db, actor: Actor, workspaceId: string) {
  await authorizeWorkspace(db, actor, workspaceId, 'device.read');
  const counts = await db
    .select({ group: devices.group, health: devices.health, n: sql<number>`count(*)::int` })
    .from(devices)
    .where(eq(devices.workspaceId, workspaceId))
    .groupBy(devices.group, devices.health);
  const latest = await db
    .selectDistinctOn([deployments.group])
    .from(deployments)
    .where(eq(deployments.workspaceId, workspaceId))
    .orderBy(deployments.group, desc(deployments.createdAt));
  const labels = await versionLabels(
    db,
    latest.flatMap((d) => [d.modelVersionId, d.previousVersionId, d.variantVersionId]),
  );
  const groups = [...new Set([...counts.map((c) => c.group), ...latest.map((d) => d.group)])].sort();
  return Promise.all(
    groups.map(async (group) => {
      const d = latest.find((l) => l.group === group) ?? null;
      return {
        group,
        devices: Object.fromEntries(counts.filter((c) => c.group === group).map((c) => [c.health, c.n])),
        deployment: d && {
          id: d.id,
          status: d.status,
          stage: d.stage,
          version: { id: d.modelVersionId, label: labels.get(d.modelVersionId) ?? null },
          previous: d.previousVersionId ? { id: d.previousVersionId, label: labels.get(d.previousVersionId) ?? null } : null,
          variant: d.variantVersionId
            ? { id: d.variantVersionId, label: labels.get(d.variantVersionId) ?? null, percent: d.variantPercent }
            : null,
          alias: d.alias,
          canaryPercent: d.canaryPercent,
          canaries: d.canaryDeviceIds.length,
          haltThreshold: d.haltThreshold,
          haltReason: d.haltReason,
          health: await rolloutHealth(db, d),
          createdAt: d.createdAt.toISOString(),
          updatedAt: d.updatedAt.toISOString(),
        },
      };
    }),
  );
}

/** Drift over time: every report in the window, with per-feature statistics, for charts per device and model. */
export async function driftTimelineReader(db: Db, actor: Actor, workspaceId: string, hours: number) {
  await authorizeWorkspace(db, actor, workspaceId, 'device.read');
  const since = new Date(Date.now() - hours * 3600_000);
  const rows = await db
    .select({
      deviceId: driftReports.deviceId,
      deviceName: devices.name,
      modelVersionId: driftReports.modelVersionId,
      windowEnd: driftReports.windowEnd,
      sampleCount: driftReports.sampleCount,
      features: driftReports.features,
      predictions: driftReports.predictions,
    })
    .from(driftReports)
    .innerJoin(devices, eq(devices.id, driftReports.deviceId))
    .where(and(eq(devices.workspaceId, workspaceId), gte(driftReports.windowEnd, since)))
    .orderBy(desc(driftReports.windowEnd))
    .limit(5000);
  const labels = await versionLabels(
    db,
    rows.map((r) => r.modelVersionId),
  );
  return rows.reverse().map((r) => ({ ...r, windowEnd: r.windowEnd.toISOString(), model: labels.get(r.modelVersionId) ?? null }));
}

export async function driftAlertLister(db: Db, actor: Actor, workspaceId: string, status: 'open' | 'resolved' | 'all') {
  await authorizeWorkspace(db, actor, workspaceId, 'device.read');
  const rows = await db
    .select({ alert: driftAlerts, deviceName: devices.name })
    .from(driftAlerts)
    .innerJoin(devices, eq(devices.id, driftAlerts.deviceId))
    .where(and(eq(driftAlerts.workspaceId, workspaceId), status === 'all' ? undefined : eq(driftAlerts.status, status)))
    .orderBy(desc(driftAlerts.lastSeenAt))
    .limit(500);
  const labels = await versionLabels(
    db,
    rows.map((r) => r.alert.modelVersionId),
  );
  return rows.map(({ alert, deviceName }) => ({ ...alert, deviceName, model: labels.get(alert.modelVersionId) ?? null }));
}

export async function driftAlertResolver(db: Db, actor: Actor, alertId: string) {
  const [alert] = await db.select().from(driftAlerts).where(eq(driftAlerts.id, alertId));
  if (!alert) throw notFound('drift alert');
  await authorizeWorkspace(db, actor, alert.workspaceId, 'drift.retrain');
  if (alert.status !== 'open') throw conflict('this alert is already resolved');
  const [row] = await db
    .update(driftAlerts)
    .set({ status: 'resolved', resolvedAt: new Date() })
    .where(eq(driftAlerts.id, alertId))
    .returning();
  return row!;
}

const BINS = 20;

/** Compares the two versions of an A/B deployment: volume, latency, output distribution on common bins, feedback. */
export async function abComparisonReader(db: Db, actor: Actor, deploymentId: string) {
  const [d] = await db.select().from(deployments).where(eq(deployments.id, deploymentId));
  if (!d) throw notFound('deployment');
  await authorizeWorkspace(db, actor, d.workspaceId, 'device.read');
  const versions = [d.modelVersionId, d.variantVersionId].filter((v): v is string => !!v);
  const rows = await db
    .select()
    .from(predictionStats)
    .innerJoin(devices, eq(devices.id, predictionStats.deviceId))
    .where(
      and(
        eq(devices.workspaceId, d.workspaceId),
        eq(devices.group, d.group),
        inArray(predictionStats.modelVersionId, versions),
        gte(predictionStats.windowEnd, d.createdAt),
      ),
    );
  const labels = await versionLabels(db, versions);
  const samples = rows.flatMap((r) => r.prediction_stats.outputSample);
  const lo = Math.min(...samples);
  const hi = Math.max(...samples);
  const width = hi > lo ? (hi - lo) / BINS : 1;
  return {
    deploymentId,
    bins: samples.length ? Array.from({ length: BINS + 1 }, (_, i) => lo + i * width) : [],
    versions: versions.map((versionId) => {
      const mine = rows.map((r) => r.prediction_stats).filter((s) => s.modelVersionId === versionId);
      const count = mine.reduce((a, s) => a + s.count, 0);
      const feedback = mine.reduce((a, s) => a + s.feedbackCount, 0);
      const weighted = (pick: (s: (typeof mine)[number]) => number | null, weight: (s: (typeof mine)[number]) => number) => {
        const used = mine.filter((s) => pick(s) !== null && weight(s) > 0);
        const total = used.reduce((a, s) => a + weight(s), 0);
        return total ? used.reduce((a, s) => a + pick(s)! * weight(s), 0) / total : null;
      };
      const histogram = new Array<number>(BINS).fill(0);
      for (const s of mine) for (const v of s.outputSample) histogram[Math.min(BINS - 1, Math.floor((v - lo) / width))]! += 1;
      const sampled = histogram.reduce((a, b) => a + b, 0);
      return {
        versionId,
        label: labels.get(versionId) ?? null,
        role: versionId === d.modelVersionId ? 'primary' : 'variant',
        predictions: count,
        devices: new Set(mine.map((s) => s.deviceId)).size,
        latencyP50Ms: weighted(
          (s) => s.latencyP50Ms,
          (s) => s.count,
        ),
        latencyP99Ms: mine.length ? Math.max(...mine.map((s) => s.latencyP99Ms)) : null,
        outputMean: weighted(
          (s) => s.outputMean,
          (s) => s.count,
        ),
        outputShare: histogram.map((h) => (sampled ? h / sampled : 0)),
        feedbackCount: feedback,
        feedbackKind: mine.find((s) => s.feedbackKind)?.feedbackKind ?? null,
        feedbackScore: weighted(
          (s) => s.feedbackScore,
          (s) => s.feedbackCount,
        ),
      };
    }),
  };
}

export async function deploymentLister(db: Db, actor: Actor, workspaceId: string, group?: string) {
  await authorizeWorkspace(db, actor, workspaceId, 'device.read');
  const rows = await db
    .select()
    .from(deployments)
    .where(and(eq(deployments.workspaceId, workspaceId), group ? eq(deployments.group, group) : undefined))
    .orderBy(desc(deployments.createdAt))
    .limit(200);
  const labels = await versionLabels(
    db,
    rows.flatMap((d) => [d.modelVersionId, d.previousVersionId, d.variantVersionId]),
  );
  return rows.map((d) => ({
    ...d,
    label: labels.get(d.modelVersionId) ?? null,
    previousLabel: d.previousVersionId ? (labels.get(d.previousVersionId) ?? null) : null,
    variantLabel: d.variantVersionId ? (labels.get(d.variantVersionId) ?? null) : null,
  }));
}
