import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { devices, driftReports, modelVersions, registeredModels } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { notFound } from '../../errors';
import { authorizeWorkspace, workspacesOf } from '../../policies/authorize';

/** Devices with their model version and the drift of their latest report. */
export async function deviceLister(db: Db, actor: Actor, workspaceId?: string) {
  if (workspaceId) await authorizeWorkspace(db, actor, workspaceId, 'device.read');
  const mine = workspacesOf(db, actor);
  const rows = await db
    .select({ device: devices, version: modelVersions.version, modelName: registeredModels.name })
    .from(devices)
    .leftJoin(modelVersions, eq(modelVersions.id, devices.currentVersionId))
    .leftJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(workspaceId ? eq(devices.workspaceId, workspaceId) : inArray(devices.workspaceId, mine))
    .orderBy(devices.name);
  if (rows.length === 0) return [];
  const latest = await db
    .selectDistinctOn([driftReports.deviceId], {
      deviceId: driftReports.deviceId,
      features: driftReports.features,
      windowEnd: driftReports.windowEnd,
      sampleCount: driftReports.sampleCount,
      modelVersionId: driftReports.modelVersionId,
    })
    .from(driftReports)
    .where(
      inArray(
        driftReports.deviceId,
        rows.map((r) => r.device.id),
      ),
    )
    .orderBy(driftReports.deviceId, desc(driftReports.windowEnd));
  return rows.map(({ device, version, modelName }) => ({
    id: device.id,
    name: device.name,
    workspaceId: device.workspaceId,
    labels: device.labels,
    group: device.group,
    failedVersionId: device.failedVersionId,
    health: device.health,
    lastError: device.lastError,
    backend: device.backend,
    lastSeenAt: device.lastSeenAt?.toISOString() ?? null,
    revoked: device.revokedAt !== null,
    model: device.currentVersionId ? { versionId: device.currentVersionId, name: modelName, version } : null,
    latestDrift: latest.find((l) => l.deviceId === device.id) ?? null,
  }));
}

export async function deviceGetter(db: Db, actor: Actor, deviceId: string) {
  const [device] = await db.select().from(devices).where(eq(devices.id, deviceId));
  if (!device) throw notFound('device');
  await authorizeWorkspace(db, actor, device.workspaceId, 'device.read');
  const reports = await db
    .select()
    .from(driftReports)
    .where(eq(driftReports.deviceId, deviceId))
    .orderBy(desc(driftReports.windowEnd))
    .limit(200);
  return { ...device, credentialHash: undefined, reports };
}
