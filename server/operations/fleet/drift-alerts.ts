import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DriftReport, FeatureDrift } from '../../../core/contracts/api/device';
import type { Db } from '../../../drizzle/client';
import { datasets, datasetVersions, devices, driftAlerts, runDatasets } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { conflict, notFound } from '../../errors';
import { authorizeWorkspace } from '../../policies/authorize';
import { versionLabels } from './version-labels';

/** Why a feature counts as drifting, in the words an alert shows. */
export function driftReason(f: FeatureDrift): string {
  const parts: string[] = [];
  if (f.psi !== null) parts.push(`PSI ${f.psi.toFixed(3)}`);
  if (f.ks) parts.push(`KS ${f.ks.statistic.toFixed(3)} (p=${f.ks.pvalue.toExponential(2)})`);
  if (f.chi2) parts.push(`χ² p=${f.chi2.pvalue.toExponential(2)}`);
  if (f.jensenshannon !== null) parts.push(`JS ${f.jensenshannon.toFixed(3)}`);
  return parts.join(', ');
}

/**
 * Opens an alert for each feature (and model output) a report marks as drifting, or bumps the open one,
 * so a device drifting for hours is one alert with a count, not hundreds.
 */
export async function driftAlertRaiser(db: Db, device: { deviceId: string; workspaceId: string }, report: DriftReport): Promise<void> {
  const drifting = [
    ...report.features.filter((f) => f.drift),
    ...report.predictions.filter((f) => f.drift).map((f) => ({ ...f, name: `prediction:${f.name}` })),
  ];
  const at = new Date(report.windowEnd);
  for (const f of drifting) {
    await db
      .insert(driftAlerts)
      .values({
        workspaceId: device.workspaceId,
        deviceId: device.deviceId,
        modelVersionId: report.modelVersionId,
        feature: f.name,
        reason: driftReason(f),
        firstSeenAt: at,
        lastSeenAt: at,
      })
      .onConflictDoUpdate({
        target: [driftAlerts.deviceId, driftAlerts.modelVersionId, driftAlerts.feature],
        targetWhere: sql`status = 'open'`,
        set: { lastSeenAt: at, reason: driftReason(f), reports: sql`${driftAlerts.reports} + 1` },
      });
  }
}

export async function openAlertCount(db: Db, workspaceId: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(driftAlerts)
    .where(and(eq(driftAlerts.workspaceId, workspaceId), eq(driftAlerts.status, 'open')));
  return rows[0]?.n ?? 0;
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
  const retrainData = await retrainDataOf(
    db,
    rows.map((r) => r.alert.retrainRunId).filter((id): id is string => id !== null),
  );
  return rows.map(({ alert, deviceName }) => ({
    ...alert,
    deviceName,
    model: labels.get(alert.modelVersionId) ?? null,
    retrainData: alert.retrainRunId ? (retrainData.get(alert.retrainRunId) ?? []) : null,
  }));
}

/** The dataset versions each retraining run really read (name@version): what the alert shows it used. */
async function retrainDataOf(db: Db, runIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (runIds.length === 0) return out;
  const rows = await db
    .select({ runId: runDatasets.runId, name: datasets.name, version: datasetVersions.version })
    .from(runDatasets)
    .innerJoin(datasetVersions, eq(datasetVersions.id, runDatasets.datasetVersionId))
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(inArray(runDatasets.runId, [...new Set(runIds)]));
  for (const r of rows) out.set(r.runId, [...(out.get(r.runId) ?? []), `${r.name}@${r.version}`]);
  return out;
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
