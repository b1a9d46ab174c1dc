import { and, desc, eq, gte } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { devices, driftReports } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { authorizeWorkspace } from '../../policies/authorize';
import { versionLabels } from './version-labels';

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
