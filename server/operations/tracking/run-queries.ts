import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { runArtifacts, runMetrics, runParams, runs, runTags } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { authorizeWorkspace, workspacesOf } from '../../policies/authorize';
import { runDatasetsOf } from '../datasets/dataset-queries';
import { decodePageToken, encodePageToken } from './page-token';
import { authorizeRun } from './run-access';
import { NOTE_TAG } from '../../../core/tracking/run-note';
import { runCellsOf, runMetricSummaryOf, runModelVersionsOf, runTrainingOf } from './run-record';

export async function runLister(
  db: Db,
  actor: Actor,
  q: { workspaceId?: string; notebookId?: string; status?: (typeof runs.$inferSelect)['status']; limit: number },
) {
  if (q.workspaceId) await authorizeWorkspace(db, actor, q.workspaceId, 'run.read');
  const mine = workspacesOf(db, actor);
  const rows = await db
    .select()
    .from(runs)
    .where(
      and(
        q.workspaceId ? eq(runs.workspaceId, q.workspaceId) : inArray(runs.workspaceId, mine),
        q.notebookId ? eq(runs.notebookId, q.notebookId) : undefined,
        q.status ? eq(runs.status, q.status) : undefined,
      ),
    )
    .orderBy(desc(runs.startedAt), desc(runs.id))
    .limit(q.limit);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const params = await db.select().from(runParams).where(inArray(runParams.runId, ids));
  // Latest value per metric key, in one query.
  const latest = await db
    .selectDistinctOn([runMetrics.runId, runMetrics.key], { runId: runMetrics.runId, key: runMetrics.key, value: runMetrics.value })
    .from(runMetrics)
    .where(inArray(runMetrics.runId, ids))
    .orderBy(runMetrics.runId, runMetrics.key, desc(runMetrics.step), desc(runMetrics.timestamp));
  return rows.map((r) => ({
    ...r,
    params: Object.fromEntries(params.filter((p) => p.runId === r.id).map((p) => [p.key, p.value])),
    metrics: Object.fromEntries(latest.filter((m) => m.runId === r.id).map((m) => [m.key, m.value])),
  }));
}

/** A run with everything its page shows: params, metric summaries, tags, artifacts, datasets, cells, notebook versions, models, training. */
export async function runGetter(db: Db, actor: Actor, runId: string) {
  const run = await authorizeRun(db, actor, runId, 'run.read');
  const [params, artifactRows, metrics, tags, record, models, training, datasets] = await Promise.all([
    db.select().from(runParams).where(eq(runParams.runId, runId)),
    db.select().from(runArtifacts).where(eq(runArtifacts.runId, runId)),
    runMetricSummaryOf(db, runId),
    db.select({ key: runTags.key, value: runTags.value }).from(runTags).where(eq(runTags.runId, runId)),
    runCellsOf(db, runId),
    runModelVersionsOf(db, runId),
    runTrainingOf(db, runId),
    runDatasetsOf(db, runId),
  ]);
  const { jobTokenId: _token, kernelId: _kernel, ...visible } = run;
  return {
    ...visible,
    durationMs: (run.endedAt ?? new Date()).getTime() - run.startedAt.getTime(),
    datasets,
    params: Object.fromEntries(params.map((p) => [p.key, p.value])),
    metricKeys: metrics.map((m) => m.key),
    metrics,
    tags: Object.fromEntries(tags.filter((t) => t.key !== NOTE_TAG).map((t) => [t.key, t.value])),
    note: tags.find((t) => t.key === NOTE_TAG)?.value ?? '',
    artifacts: artifactRows.map((a) => ({ path: a.path, sha256: a.sha256, kind: a.kind })),
    cells: record.cells,
    notebookVersions: record.notebookVersions,
    modelVersions: models,
    training,
  };
}

export async function metricHistory(db: Db, actor: Actor, runId: string, key: string) {
  await authorizeRun(db, actor, runId, 'run.read');
  return db
    .select({ step: runMetrics.step, value: runMetrics.value, timestamp: runMetrics.timestamp })
    .from(runMetrics)
    .where(and(eq(runMetrics.runId, runId), eq(runMetrics.key, key)))
    .orderBy(asc(runMetrics.step), asc(runMetrics.timestamp))
    .limit(100_000);
}

/** One page of a metric's history (MLflow get-history): offset tokens, as a history has no unique order key. */
export async function metricHistoryPage(db: Db, actor: Actor, runId: string, key: string, maxResults: number, pageToken?: string) {
  await authorizeRun(db, actor, runId, 'run.read');
  const offset = Number(decodePageToken<[number]>(pageToken)?.[0] ?? 0);
  const rows = await db
    .select({ step: runMetrics.step, value: runMetrics.value, timestamp: runMetrics.timestamp })
    .from(runMetrics)
    .where(and(eq(runMetrics.runId, runId), eq(runMetrics.key, key)))
    .orderBy(asc(runMetrics.step), asc(runMetrics.timestamp))
    .offset(offset)
    .limit(maxResults + 1);
  return { points: rows.slice(0, maxResults), nextPageToken: rows.length > maxResults ? encodePageToken([offset + maxResults]) : null };
}

export interface ChartBucket {
  step: number;
  min: number;
  max: number;
  last: number;
  count: number;
}

/**
 * A metric of several runs downsampled for a chart `width` pixels wide: per run, the steps are cut into
 * `width` buckets and each keeps its min, max and last value, so spikes survive and a 10 runs × 10,000
 * steps chart ships 10 × width buckets instead of 100,000 points (MLflow #9779).
 */
export async function metricChartReader(db: Db, actor: Actor, input: { runIds: string[]; key: string; width: number }) {
  for (const id of input.runIds) await authorizeRun(db, actor, id, 'run.read');
  type Row = { run_id: string; bucket: number; step: string; min: number; max: number; last: number; count: string };
  // Both drivers (node-postgres, PGlite) answer raw SQL with { rows }.
  const rows = (await db.execute(sql`
    with bounds as (
      select run_id, min(step) as lo, max(step) as hi from ${runMetrics}
      where key = ${input.key} and run_id in ${sql`(${sql.join(
        input.runIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`}
      group by run_id
    )
    select m.run_id, width_bucket(m.step, b.lo, b.hi + 1, ${input.width}) as bucket, min(m.step) as step, min(m.value) as min, max(m.value) as max,
      (array_agg(m.value order by m.step desc, m.timestamp desc))[1] as last, count(*) as count
    from ${runMetrics} m join bounds b on b.run_id = m.run_id
    where m.key = ${input.key}
    group by m.run_id, bucket
    order by m.run_id, bucket`)) as unknown as { rows: Row[] };
  const series = new Map<string, ChartBucket[]>(input.runIds.map((id) => [id, []]));
  for (const r of rows.rows)
    series
      .get(r.run_id)
      ?.push({ step: Number(r.step), min: Number(r.min), max: Number(r.max), last: Number(r.last), count: Number(r.count) });
  return { key: input.key, width: input.width, series: input.runIds.map((runId) => ({ runId, buckets: series.get(runId) ?? [] })) };
}
