import { and, eq, gte, inArray } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { deployments, devices, predictionStats } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { notFound } from '../../errors';
import { authorizeWorkspace } from '../../policies/authorize';
import { versionLabels } from './version-labels';

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
