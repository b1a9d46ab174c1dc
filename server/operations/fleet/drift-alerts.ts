import { and, desc, eq, sql } from 'drizzle-orm';
import type { DriftReport, FeatureDrift } from '../../../core/contracts/api/device';
import type { Db } from '../../../drizzle/client';
import { devices, driftAlerts } from '../../../drizzle/schema';
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
