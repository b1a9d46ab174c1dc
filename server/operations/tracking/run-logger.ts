import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { runFinishSchema } from '../../../core/contracts/api/kernel-runs';
import type { Db } from '../../../drizzle/client';
import { runLatestMetrics, runMetrics, runParams, runs, runTags } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { conflict, invalid } from '../../errors';
import { authorizeRun } from './run-access';

export interface RunBatch {
  params?: Record<string, string | number | boolean>;
  metrics?: Array<{ key: string; value: number; step: number; timestamp: number }>;
  tags?: Record<string, string>;
}

/** The newest point per key of a batch (highest step, then latest timestamp): what run_latest_metrics keeps. */
function latestOf(metrics: NonNullable<RunBatch['metrics']>) {
  const best = new Map<string, NonNullable<RunBatch['metrics']>[number]>();
  for (const m of metrics) {
    const b = best.get(m.key);
    if (!b || m.step > b.step || (m.step === b.step && m.timestamp >= b.timestamp)) best.set(m.key, m);
  }
  return [...best.values()];
}

/**
 * Params, metrics and tags in one batch and one transaction. Params are write-once, as in MLflow: the
 * same value again is fine, a different one is refused and nothing of the batch is stored. Each metric's
 * latest value is kept beside its history (an upsert that only moves forward), so concurrent loggers
 * never take a table lock and run search can sort by metrics through an index.
 */
export async function runLogger(db: Db, actor: Actor, runId: string, batch: RunBatch) {
  const run = await authorizeRun(db, actor, runId, 'run.log');
  if (run.lifecycleStage === 'deleted') throw conflict('this run is deleted; restore it before logging to it');
  const params = Object.entries(batch.params ?? {}).map(([key, value]) => ({ runId, key, value: String(value) }));
  const tags = Object.entries(batch.tags ?? {}).map(([key, value]) => ({ runId, key, value }));
  await db.transaction(async (tx) => {
    if (params.length) {
      const existing = await tx
        .select()
        .from(runParams)
        .where(
          and(
            eq(runParams.runId, runId),
            inArray(
              runParams.key,
              params.map((p) => p.key),
            ),
          ),
        );
      for (const old of existing) {
        const incoming = params.find((p) => p.key === old.key)!;
        if (incoming.value !== old.value)
          throw invalid(`param "${old.key}" is already ${JSON.stringify(old.value)}; params cannot change (log a metric or a tag instead)`);
      }
      await tx.insert(runParams).values(params).onConflictDoNothing();
    }
    if (batch.metrics?.length) {
      // One array parameter per column (unnest) rather than 4 parameters per point: a 1000-point batch
      // is one short statement for PostgreSQL to parse instead of 4000 placeholders.
      const m = batch.metrics;
      await tx.execute(
        sql`insert into ${runMetrics} (run_id, key, step, timestamp, value)
            select ${runId}::uuid, * from unnest(${sql.param(m.map((p) => p.key))}::text[], ${sql.param(m.map((p) => p.step))}::bigint[],
              ${sql.param(m.map((p) => p.timestamp))}::bigint[], ${sql.param(m.map((p) => p.value))}::float8[])`,
      );
      await tx
        .insert(runLatestMetrics)
        .values(latestOf(batch.metrics).map((m) => ({ runId, ...m })))
        .onConflictDoUpdate({
          target: [runLatestMetrics.runId, runLatestMetrics.key],
          set: { value: sql`excluded.value`, step: sql`excluded.step`, timestamp: sql`excluded.timestamp` },
          setWhere: sql`(excluded.step, excluded.timestamp) >= (${runLatestMetrics.step}, ${runLatestMetrics.timestamp})`,
        });
    }
    if (tags.length)
      await tx
        .insert(runTags)
        .values(tags)
        .onConflictDoUpdate({ target: [runTags.runId, runTags.key], set: { value: sql`excluded.value` } });
  });
  return { params: params.length, metrics: batch.metrics?.length ?? 0, tags: tags.length };
}

export async function runFinisher(db: Db, actor: Actor, runId: string, input: z.infer<typeof runFinishSchema>) {
  const run = await authorizeRun(db, actor, runId, 'run.log');
  if (run.status !== 'running') throw conflict(`run is already ${run.status}`);
  const [row] = await db.update(runs).set({ status: input.status, endedAt: new Date() }).where(eq(runs.id, runId)).returning();
  return row!;
}
