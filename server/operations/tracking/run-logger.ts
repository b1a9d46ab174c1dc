import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
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

type Point = NonNullable<RunBatch['metrics']>[number];

/** unnest() of one array parameter per column: a 1000-point batch is a short statement, not 4000 placeholders. */
function pointsTable(points: Point[]): SQL {
  return sql`unnest(${sql.param(points.map((p) => p.key))}::text[], ${sql.param(points.map((p) => p.step))}::bigint[],
    ${sql.param(points.map((p) => p.timestamp))}::bigint[], ${sql.param(points.map((p) => p.value))}::float8[])`;
}

/**
 * Metric history, each key's latest value (an upsert that only moves forward) and tags as one
 * statement of data-modifying CTEs: all of it or nothing, in a single round trip.
 */
function writeStatement(runId: string, metrics: Point[], tags: Array<{ key: string; value: string }>): SQL | null {
  const parts: SQL[] = [];
  if (metrics.length) {
    parts.push(sql`insert into ${runMetrics} (run_id, key, step, timestamp, value) select ${runId}::uuid, * from ${pointsTable(metrics)}`);
    parts.push(sql`insert into ${runLatestMetrics} (run_id, key, step, timestamp, value) select ${runId}::uuid, * from ${pointsTable(latestOf(metrics))}
      on conflict (run_id, key) do update set value = excluded.value, step = excluded.step, timestamp = excluded.timestamp
      where (excluded.step, excluded.timestamp) >= (${runLatestMetrics}.step, ${runLatestMetrics}.timestamp)`);
  }
  if (tags.length)
    parts.push(sql`insert into ${runTags} (run_id, key, value)
      select ${runId}::uuid, * from unnest(${sql.param(tags.map((t) => t.key))}::text[], ${sql.param(tags.map((t) => t.value))}::text[])
      on conflict (run_id, key) do update set value = excluded.value`);
  const last = parts.pop();
  if (!last) return null;
  if (parts.length === 0) return last;
  return sql`with ${sql.join(
    parts.map((p, i) => sql`${sql.raw(`w${i}`)} as (${p})`),
    sql`, `,
  )} ${last}`;
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
  const write = writeStatement(runId, batch.metrics ?? [], tags);
  if (params.length === 0) {
    // No write-once check to make: one statement, so no BEGIN/COMMIT round trips (log-batch p99).
    if (write) await db.execute(write);
  } else
    await db.transaction(async (tx) => {
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
      if (write) await tx.execute(write);
    });
  return { params: params.length, metrics: batch.metrics?.length ?? 0, tags: tags.length };
}

export async function runFinisher(db: Db, actor: Actor, runId: string, input: z.infer<typeof runFinishSchema>) {
  const run = await authorizeRun(db, actor, runId, 'run.log');
  if (run.status !== 'running') throw conflict(`run is already ${run.status}`);
  const [row] = await db.update(runs).set({ status: input.status, endedAt: new Date() }).where(eq(runs.id, runId)).returning();
  return row!;
}
