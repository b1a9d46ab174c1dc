import { createHash } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { DesiredState, deviceStateReportSchema, DriftReport, Manifest } from '../../../core/contracts/api/device';
import type { ReferenceProfile } from '../../../core/drift/profile';
import type { Db } from '../../../drizzle/client';
import { deployments, devices, driftReports, modelVersions, registeredModels } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { forbidden, invalid, notFound } from '../../errors';
import type { SigningKey } from '../../fleet/signing-key';

type DeviceActor = Extract<Actor, { kind: 'device' }>;

export function requireDevice(actor: Actor): DeviceActor {
  if (actor.kind !== 'device') throw forbidden('this endpoint is for enrolled devices (Authorization: Bearer fdev_…)');
  return actor;
}

async function activeDeployment(db: Db, workspaceId: string) {
  const [row] = await db
    .select({ deployment: deployments, version: modelVersions, model: registeredModels })
    .from(deployments)
    .innerJoin(modelVersions, eq(modelVersions.id, deployments.modelVersionId))
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(and(eq(deployments.workspaceId, workspaceId), eq(deployments.status, 'active')))
    .orderBy(desc(deployments.createdAt))
    .limit(1);
  return row ?? null;
}

/** What the device should run, signed; the ETag lets an unchanged poll cost a 304. */
export async function desiredStateReader(db: Db, key: SigningKey, actor: Actor): Promise<{ state: DesiredState; etag: string }> {
  const device = requireDevice(actor);
  await db.update(devices).set({ lastSeenAt: new Date() }).where(eq(devices.id, device.deviceId));
  const active = await activeDeployment(db, device.workspaceId);
  if (!active || active.version.status !== 'approved') return { state: { deployment: null }, etag: '"none"' };
  const manifest: Manifest = {
    v: 1,
    deploymentId: active.deployment.id,
    versionId: active.version.id,
    modelName: active.model.name,
    version: active.version.version,
    sha256: active.version.onnxSha256,
    size: active.version.size,
    sampleInput: active.version.sampleInput as number[][],
    sampleOutput: active.version.sampleOutput as number[][],
    issuedAt: active.deployment.createdAt.toISOString(),
  };
  const text = JSON.stringify(manifest);
  const signature = (active.version.signature ?? {}) as { inputs?: Array<{ shape: Array<number | string | null> }> };
  const profile = active.version.referenceProfile as ReferenceProfile | null;
  const state: DesiredState = {
    deployment: {
      manifest: text,
      signature: key.sign(text),
      signature_alg: 'ed25519',
      inputShape: signature.inputs?.[0]?.shape ?? [],
      featureNames: profile?.features.map((f) => f.name) ?? null,
      referenceProfile: profile ?? null,
    },
  };
  return { state, etag: `"${createHash('sha256').update(text).digest('hex').slice(0, 32)}"` };
}

/** Artifacts a device may download: only the model deployed to its own workspace. */
export async function deviceArtifactAccess(db: Db, actor: Actor, sha256: string) {
  const device = requireDevice(actor);
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw invalid('artifact names are sha256 hex digests');
  const active = await activeDeployment(db, device.workspaceId);
  if (!active || active.version.onnxSha256 !== sha256) throw notFound('artifact');
}

export async function deviceStateReporter(db: Db, actor: Actor, report: z.infer<typeof deviceStateReportSchema>) {
  const device = requireDevice(actor);
  await db
    .update(devices)
    .set({
      currentVersionId: report.currentVersionId,
      previousVersionId: report.previousVersionId,
      health: report.health,
      lastError: report.lastError ?? null,
      backend: report.backend,
      lastSeenAt: new Date(),
    })
    .where(eq(devices.id, device.deviceId));
  return { ok: true };
}

/** Stores a drift report once per idempotency key, so a resend after a lost reply counts once. */
export async function driftReportIngester(db: Db, actor: Actor, report: DriftReport) {
  const device = requireDevice(actor);
  const inserted = await db
    .insert(driftReports)
    .values({
      deviceId: device.deviceId,
      modelVersionId: report.modelVersionId,
      idempotencyKey: report.idempotencyKey,
      windowStart: new Date(report.windowStart),
      windowEnd: new Date(report.windowEnd),
      sampleCount: report.sampleCount,
      features: report.features,
    })
    .onConflictDoNothing()
    .returning({ id: driftReports.id });
  await db.update(devices).set({ lastSeenAt: new Date() }).where(eq(devices.id, device.deviceId));
  return { duplicate: inserted.length === 0 };
}
