import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { devices, enrollmentTokens } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { newSecret, sha256Hex } from '../../auth/secrets';
import { unauthenticated } from '../../errors';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';

export async function enrollmentTokenCreator(
  db: Db,
  actor: Actor,
  input: { workspaceId: string; deviceName: string; labels: Record<string, string>; group: string; ttlHours: number },
) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'device.enroll');
  const { secret, hash } = newSecret('fenr');
  const expiresAt = new Date(Date.now() + input.ttlHours * 3600_000);
  await db.insert(enrollmentTokens).values({
    tokenHash: hash,
    workspaceId: input.workspaceId,
    deviceName: input.deviceName,
    labels: input.labels,
    group: input.group,
    createdBy: userIdOf(actor),
    expiresAt,
  });
  return { token: secret, expiresAt: expiresAt.toISOString() };
}

/** Trades a one-time token for a device credential; the token is consumed atomically (one winner). */
export async function deviceEnroller(db: Db, input: { token: string; name?: string }) {
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(enrollmentTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(enrollmentTokens.tokenHash, sha256Hex(input.token)),
          isNull(enrollmentTokens.usedAt),
          gt(enrollmentTokens.expiresAt, new Date()),
        ),
      )
      .returning();
    if (!used) throw unauthenticated('enrollment token is wrong, already used or expired; ask an owner for a new one');
    const { secret, hash } = newSecret('fdev');
    const [device] = await tx
      .insert(devices)
      .values({
        workspaceId: used.workspaceId,
        name: input.name ?? used.deviceName,
        credentialHash: hash,
        labels: used.labels,
        group: used.group,
      })
      .returning();
    return { deviceId: device!.id, workspaceId: used.workspaceId, credential: secret };
  });
}
