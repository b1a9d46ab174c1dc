import { createHash } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { DesiredState, deviceStateReportSchema, DriftReport, Manifest, SignedModel } from '../../../core/contracts/api/device';
import { targetFor } from '../../../core/fleet/rollout-policy';
import type { ReferenceProfile } from '../../../core/drift/profile';
import type { Db } from '../../../drizzle/client';
import { devices, driftReports, modelVersions, registeredModels } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { forbidden, invalid, notFound } from '../../errors';
import type { SigningKey } from '../../fleet/signing-key';
import { assertReportableVersion, assertVersionsOfDeviceWorkspace } from '../../policies/device-scope';
import { driftAlertRaiser } from './drift-alerts';
import { groupDeployment, rolloutFromRow } from './group-deployment';
import { rolloutEvaluator } from './rollout-evaluator';

type DeviceActor = Extract<Actor, { kind: 'device' }>;

export function requireDevice(actor: Actor): DeviceActor {
  if (actor.kind !== 'device') throw forbidden('this endpoint is for enrolled devices (Authorization: Bearer fdev_…)');
  return actor;
}

// Heartbeats are advisory: one write per device per half minute, not one per poll (10,000 devices
// polling every few seconds would otherwise turn every read into a write).
const SEEN_WRITE_MS = 30_000;
const lastSeenWritten = new Map<string, number>();

function markSeen(db: Db, deviceId: string): void {
  const now = Date.now();
  if (now - (lastSeenWritten.get(deviceId) ?? 0) < SEEN_WRITE_MS) return;
  lastSeenWritten.set(deviceId, now);
  if (lastSeenWritten.size > 200_000) lastSeenWritten.clear();
  void db
    .update(devices)
    .set({ lastSeenAt: new Date(now) })
    .where(eq(devices.id, deviceId))
    .catch(() => lastSeenWritten.delete(deviceId));
}

/** What one device should run now: its group's deployment seen through the rollout policy. */
async function deviceTarget(db: Db, device: { id: string; group: string; workspaceId: string }) {
  const row = await groupDeployment(db, device.workspaceId, device.group);
  if (!row) return null;
  const target = targetFor(rolloutFromRow(row), device.id);
  return target ? { deploymentId: row.id, issuedAt: row.updatedAt, ...target } : null;
}

// A signed manifest depends only on (version, deployment, its last change): sign once, not per poll.
const signedCache = new Map<string, SignedModel>();

async function signedModel(db: Db, key: SigningKey, versionId: string, deploymentId: string, issuedAt: Date): Promise<SignedModel | null> {
  const cacheKey = `${versionId}:${deploymentId}:${issuedAt.getTime()}`;
  const cached = signedCache.get(cacheKey);
  if (cached) return cached;
  const signed = await signModel(db, key, versionId, deploymentId, issuedAt);
  // Only approved versions are signed, and approval is final, so a cached entry never goes stale.
  if (signed) {
    if (signedCache.size > 10_000) signedCache.clear();
    signedCache.set(cacheKey, signed);
  }
  return signed;
}

async function signModel(db: Db, key: SigningKey, versionId: string, deploymentId: string, issuedAt: Date): Promise<SignedModel | null> {
  const [row] = await db
    .select({ version: modelVersions, model: registeredModels })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(eq(modelVersions.id, versionId));
  // A version rejected after it was deployed is never sent again.
  if (!row || row.version.status !== 'approved') return null;
  const manifest: Manifest = {
    v: 1,
    deploymentId,
    versionId: row.version.id,
    modelName: row.model.name,
    version: row.version.version,
    sha256: row.version.onnxSha256,
    size: row.version.size,
    sampleInput: row.version.sampleInput as Manifest['sampleInput'],
    sampleOutput: row.version.sampleOutput as number[][],
    issuedAt: issuedAt.toISOString(),
  };
  const text = JSON.stringify(manifest);
  const signature = (row.version.signature ?? {}) as { inputs?: Array<{ shape: Array<number | string | null> }> };
  const profile = row.version.referenceProfile as ReferenceProfile | null;
  return {
    manifest: text,
    signature: key.sign(text),
    signature_alg: 'ed25519',
    inputShape: signature.inputs?.[0]?.shape ?? [],
    featureNames: profile?.features.map((f) => f.name) ?? null,
    referenceProfile: profile ?? null,
  };
}

/** What the device should run, signed; the ETag lets an unchanged poll cost a 304. */
export async function desiredStateReader(db: Db, key: SigningKey, actor: Actor): Promise<{ state: DesiredState; etag: string }> {
  const device = requireDevice(actor);
  markSeen(db, device.deviceId);
  const target = await deviceTarget(db, { id: device.deviceId, group: device.group, workspaceId: device.workspaceId });
  if (!target) return { state: { deployment: null, variant: null }, etag: '"none"' };
  const primary = await signedModel(db, key, target.versionId, target.deploymentId, target.issuedAt);
  const variantModel = target.variant ? await signedModel(db, key, target.variant.versionId, target.deploymentId, target.issuedAt) : null;
  const state: DesiredState = {
    deployment: primary,
    variant: variantModel && target.variant ? { ...variantModel, percent: target.variant.percent } : null,
  };
  const tag = `${primary?.manifest ?? ''}|${state.variant?.manifest ?? ''}|${state.variant?.percent ?? 0}`;
  return { state, etag: `"${createHash('sha256').update(tag).digest('hex').slice(0, 32)}"` };
}

/** Artifacts a device may download: only a model its group's deployment sends to it. */
export async function deviceArtifactAccess(db: Db, actor: Actor, sha256: string) {
  const device = requireDevice(actor);
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw invalid('artifact names are sha256 hex digests');
  const [row] = await db.select().from(devices).where(eq(devices.id, device.deviceId));
  if (!row) throw notFound('device');
  const target = await deviceTarget(db, row);
  const allowed = [target?.versionId, target?.variant?.versionId].filter((v): v is string => !!v);
  if (allowed.length === 0) throw notFound('artifact');
  const versions = await Promise.all(
    allowed.map((id) => db.select({ sha: modelVersions.onnxSha256 }).from(modelVersions).where(eq(modelVersions.id, id))),
  );
  if (!versions.flat().some((v) => v.sha === sha256)) throw notFound('artifact');
}

/** The workspace of each of these model versions (unknown ids are simply absent). */
async function versionWorkspaces(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: modelVersions.id, workspaceId: registeredModels.workspaceId })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(inArray(modelVersions.id, ids));
}

/** Refuses (403) a report on a version the device neither runs, ran before, nor was told to run, in its workspace. */
export async function authorizeDeviceReport(db: Db, device: DeviceActor, versionId: string): Promise<void> {
  const [row] = await db.select().from(devices).where(eq(devices.id, device.deviceId));
  if (!row) throw notFound('device');
  const target = await deviceTarget(db, row);
  const [version] = await versionWorkspaces(db, [versionId]);
  assertReportableVersion(device, version, [row.currentVersionId, row.previousVersionId, target?.versionId, target?.variant?.versionId]);
}

export async function deviceStateReporter(db: Db, actor: Actor, report: z.infer<typeof deviceStateReportSchema>) {
  const device = requireDevice(actor);
  const named = [report.currentVersionId, report.previousVersionId, report.failedVersionId].filter((v): v is string => !!v);
  assertVersionsOfDeviceWorkspace(device, await versionWorkspaces(db, named), named);
  const [row] = await db
    .update(devices)
    .set({
      currentVersionId: report.currentVersionId,
      previousVersionId: report.previousVersionId,
      health: report.health,
      lastError: report.lastError ?? null,
      backend: report.backend,
      ...(report.failedVersionId !== undefined ? { failedVersionId: report.failedVersionId } : {}),
      lastSeenAt: new Date(),
    })
    .where(eq(devices.id, device.deviceId))
    .returning();
  if (row) await rolloutEvaluator(db, row.workspaceId, row.group, [report.currentVersionId, report.failedVersionId]);
  return { ok: true };
}

/** Stores a drift report once per idempotency key, so a resend after a lost reply counts once. */
export async function driftReportIngester(db: Db, actor: Actor, report: DriftReport) {
  const device = requireDevice(actor);
  await authorizeDeviceReport(db, device, report.modelVersionId);
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
      predictions: report.predictions,
    })
    .onConflictDoNothing()
    .returning({ id: driftReports.id });
  await db.update(devices).set({ lastSeenAt: new Date() }).where(eq(devices.id, device.deviceId));
  if (inserted.length > 0) await driftAlertRaiser(db, device, report);
  return { duplicate: inserted.length === 0 };
}
