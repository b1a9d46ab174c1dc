import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { runArtifacts, runMetrics, runParams, runs } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { authorizeWorkspace, workspacesOf } from '../../policies/authorize';
import { authorizeRun } from './run-access';

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

export async function runGetter(db: Db, actor: Actor, runId: string) {
  const run = await authorizeRun(db, actor, runId, 'run.read');
  const [params, artifactRows, keys] = await Promise.all([
    db.select().from(runParams).where(eq(runParams.runId, runId)),
    db.select().from(runArtifacts).where(eq(runArtifacts.runId, runId)),
    db.selectDistinct({ key: runMetrics.key }).from(runMetrics).where(eq(runMetrics.runId, runId)),
  ]);
  return {
    ...run,
    params: Object.fromEntries(params.map((p) => [p.key, p.value])),
    metricKeys: keys.map((k) => k.key),
    artifacts: artifactRows.map((a) => ({ path: a.path, sha256: a.sha256, kind: a.kind })),
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
