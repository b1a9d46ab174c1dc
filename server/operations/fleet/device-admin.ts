import { eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { devices } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { conflict, notFound } from '../../errors';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';
import { audit } from '../registry/audit';

async function managedDevice(db: Db, actor: Actor, deviceId: string) {
  const [device] = await db.select().from(devices).where(eq(devices.id, deviceId));
  if (!device) throw notFound('device');
  await authorizeWorkspace(db, actor, device.workspaceId, 'device.manage');
  return device;
}

/** Moves a device to another group (it follows that group's deployment on its next poll) or relabels it. */
export async function deviceUpdater(db: Db, actor: Actor, deviceId: string, input: { group?: string; labels?: Record<string, string> }) {
  const device = await managedDevice(db, actor, deviceId);
  const [updated] = await db
    .update(devices)
    .set({ ...(input.group !== undefined ? { group: input.group } : {}), ...(input.labels !== undefined ? { labels: input.labels } : {}) })
    .where(eq(devices.id, deviceId))
    .returning({ id: devices.id, name: devices.name, group: devices.group, labels: devices.labels });
  await audit(db, {
    workspaceId: device.workspaceId,
    actorId: userIdOf(actor),
    action: 'device.updated',
    subjectType: 'device',
    subjectId: deviceId,
    data: { from: { group: device.group, labels: device.labels }, to: input },
  });
  return updated!;
}

/** Revokes a device's credential: its next call gets 401, and its reports are no longer accepted. */
export async function deviceRevoker(db: Db, actor: Actor, deviceId: string) {
  const device = await managedDevice(db, actor, deviceId);
  if (device.revokedAt) throw conflict(`device ${device.name} was already revoked at ${device.revokedAt.toISOString()}`);
  const revokedAt = new Date();
  await db.update(devices).set({ revokedAt, health: 'revoked' }).where(eq(devices.id, deviceId));
  await audit(db, {
    workspaceId: device.workspaceId,
    actorId: userIdOf(actor),
    action: 'device.revoked',
    subjectType: 'device',
    subjectId: deviceId,
  });
  return { id: deviceId, revokedAt: revokedAt.toISOString() };
}
