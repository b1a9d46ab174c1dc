import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { runFinishSchema, runLogSchema } from '../../../core/contracts/api/kernel-runs';
import type { Db } from '../../../drizzle/client';
import { runMetrics, runParams, runs } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { conflict, invalid } from '../../errors';
import { authorizeRun } from './run-access';

/**
 * Params and metrics in one batch and one transaction. Params are write-once, as in MLflow: the same
 * value again is fine, a different one is refused and nothing of the batch is stored.
 */
export async function runLogger(db: Db, actor: Actor, runId: string, batch: z.infer<typeof runLogSchema>) {
  await authorizeRun(db, actor, runId, 'run.log');
  const params = Object.entries(batch.params ?? {}).map(([key, value]) => ({ runId, key, value: String(value) }));
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
    if (batch.metrics?.length) await tx.insert(runMetrics).values(batch.metrics.map((m) => ({ runId, ...m })));
  });
  return { params: params.length, metrics: batch.metrics?.length ?? 0 };
}

export async function runFinisher(db: Db, actor: Actor, runId: string, input: z.infer<typeof runFinishSchema>) {
  const run = await authorizeRun(db, actor, runId, 'run.log');
  if (run.status !== 'running') throw conflict(`run is already ${run.status}`);
  const [row] = await db.update(runs).set({ status: input.status, endedAt: new Date() }).where(eq(runs.id, runId)).returning();
  return row!;
}
