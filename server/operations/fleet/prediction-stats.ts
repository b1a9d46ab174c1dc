import { eq } from 'drizzle-orm';
import type { PredictionStatsReport } from '../../../core/contracts/api/device';
import type { Db } from '../../../drizzle/client';
import { devices, predictionStats } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { authorizeDeviceReport, requireDevice } from './device-sync';

/** Stores one window of per-version serving statistics from a device, once per idempotency key. */
export async function predictionStatsIngester(db: Db, actor: Actor, report: PredictionStatsReport) {
  const device = requireDevice(actor);
  await authorizeDeviceReport(db, device, report.modelVersionId);
  const inserted = await db
    .insert(predictionStats)
    .values({
      deviceId: device.deviceId,
      modelVersionId: report.modelVersionId,
      idempotencyKey: report.idempotencyKey,
      windowStart: new Date(report.windowStart),
      windowEnd: new Date(report.windowEnd),
      count: report.count,
      latencyP50Ms: report.latencyP50Ms,
      latencyP99Ms: report.latencyP99Ms,
      outputMean: report.outputMean,
      outputSample: report.outputSample,
      feedbackCount: report.feedbackCount,
      feedbackScore: report.feedbackScore,
      feedbackKind: report.feedbackKind,
    })
    .onConflictDoNothing()
    .returning({ id: predictionStats.id });
  await db.update(devices).set({ lastSeenAt: new Date() }).where(eq(devices.id, device.deviceId));
  return { duplicate: inserted.length === 0 };
}
