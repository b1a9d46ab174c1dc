import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { serverSettings } from '../../env';
import { driftAlerts, modelVersions, registeredModels, runs } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import type { AppContext } from '../../context';
import { notFound } from '../../errors';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';
import { retrainer } from './retrainer';

// Automatic retraining: when a model's drift alert has stayed open (reports still crossing the
// threshold) for the model's set time, its source notebook version is re-run once, exactly as the
// "retrain" button does. Nothing is deployed: the new version still needs promotion and approval.

export async function autoRetrainSetter(
  ctx: AppContext,
  actor: Actor,
  modelId: string,
  input: { minutes: number | null; dataRef?: string | null },
) {
  const [model] = await ctx.db.select().from(registeredModels).where(eq(registeredModels.id, modelId));
  if (!model) throw notFound('registered model');
  await authorizeWorkspace(ctx.db, actor, model.workspaceId, 'drift.retrain');
  const [row] = await ctx.db
    .update(registeredModels)
    .set({
      autoRetrainMinutes: input.minutes,
      autoRetrainDataRef: input.minutes === null ? null : (input.dataRef ?? null),
      autoRetrainBy: input.minutes === null ? null : userIdOf(actor),
    })
    .where(eq(registeredModels.id, modelId))
    .returning({
      id: registeredModels.id,
      autoRetrainMinutes: registeredModels.autoRetrainMinutes,
      autoRetrainDataRef: registeredModels.autoRetrainDataRef,
    });
  return row!;
}

/** One pass: each model version with drift persisting past its model's limit gets one retraining. */
export async function autoRetrainSweep(ctx: AppContext): Promise<number> {
  const due = await ctx.db
    .select({
      alertId: driftAlerts.id,
      modelVersionId: driftAlerts.modelVersionId,
      dataRef: registeredModels.autoRetrainDataRef,
      by: registeredModels.autoRetrainBy,
    })
    .from(driftAlerts)
    .innerJoin(modelVersions, eq(modelVersions.id, driftAlerts.modelVersionId))
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(
      and(
        eq(driftAlerts.status, 'open'),
        isNull(driftAlerts.retrainRequestedAt),
        isNotNull(registeredModels.autoRetrainMinutes),
        isNotNull(registeredModels.autoRetrainBy),
        sql`${driftAlerts.lastSeenAt} - ${driftAlerts.firstSeenAt} >= make_interval(mins => ${registeredModels.autoRetrainMinutes})`,
      ),
    );
  const perVersion = new Map<string, (typeof due)[number][]>();
  for (const row of due) perVersion.set(row.modelVersionId, [...(perVersion.get(row.modelVersionId) ?? []), row]);
  let started = 0;
  for (const [versionId, alerts] of perVersion) {
    const first = alerts[0]!;
    if (await retrainingInProgress(ctx, versionId)) {
      // Drift found while the version is being retrained joins that retraining instead of starting another.
      await ctx.db
        .update(driftAlerts)
        .set({ retrainRequestedAt: new Date() })
        .where(and(eq(driftAlerts.modelVersionId, versionId), eq(driftAlerts.status, 'open'), isNull(driftAlerts.retrainRequestedAt)));
      continue;
    }
    // Every alert of the version counts as handled: one retraining per drifting version, not per feature.
    await ctx.db
      .update(driftAlerts)
      .set({ retrainRequestedAt: new Date() })
      .where(and(eq(driftAlerts.modelVersionId, versionId), eq(driftAlerts.status, 'open'), isNull(driftAlerts.retrainRequestedAt)));
    try {
      await retrainer(ctx, { kind: 'user', userId: first.by!, via: 'api-token' }, first.alertId, { dataRef: first.dataRef ?? undefined });
      started++;
      ctx.log.info('automatic retraining started', { modelVersionId: versionId, alertId: first.alertId });
    } catch (error) {
      ctx.log.warn('automatic retraining could not start', { modelVersionId: versionId, error: (error as Error).message });
    }
  }
  return started;
}

/** Whether a retraining of this version was asked for and has not ended (its run not yet made, or still running). */
async function retrainingInProgress(ctx: AppContext, versionId: string): Promise<boolean> {
  const rows = (await ctx.db.execute(sql`
    select 1 from ${driftAlerts} a left join ${runs} r on r.id = a.retrain_run_id
    where a.model_version_id = ${versionId}::uuid and a.retrain_requested_at is not null
      and ((a.retrain_run_id is null and a.retrain_requested_at > now() - interval '6 hours') or r.status = 'running')
    limit 1`)) as unknown as { rows: unknown[] };
  return rows.rows.length > 0;
}

export function startAutoRetrainer(ctx: AppContext, everyMs = serverSettings().FERRY_AUTO_RETRAIN_SWEEP_MS) {
  let running = false;
  const timer = setInterval(() => {
    // Once per deployment: only the leading instance sweeps.
    if (running || !ctx.leadership.isLeader()) return;
    running = true;
    autoRetrainSweep(ctx)
      .catch((error: unknown) => ctx.log.error('automatic retraining sweep failed', { error: String(error) }))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
