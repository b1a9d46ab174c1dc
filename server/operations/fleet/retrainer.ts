import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { DATA_REF_TAG, RETRAIN_TAG } from '../../../core/contracts/api/device';
import type { CellJob } from '../../../core/contracts/messages/cell-execution';
import { cellEventSchema } from '../../../core/contracts/messages/cell-execution';
import { subjects } from '../../../core/contracts/subjects';
import { cellsToRun } from '../../../core/notebook/cells-to-run';
import { dataRefUsage } from '../../../core/notebook/data-ref-usage';
import { driftAlerts, modelVersions, notebookVersions, registeredModels, runCells, runs } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import type { AppContext } from '../../context';
import { conflict, forbidden, notFound } from '../../errors';
import { CELL_LIMITS } from '../../execution/cell-run-requester';
import { authorizeNotebook, authorizeWorkspace, userIdOf } from '../../policies/authorize';
import { jobTokenCreator, kernelTokenRevoker } from '../identity/job-tokens';
import { audit } from '../registry/audit';

interface StoredCell {
  id: string;
  cell_type: string;
  source: string;
}

/** A retraining's kernel boots, then runs its cells one after another, each within the cell limit. */
const KERNEL_BOOT_MS = 5 * 60_000;
const RETRAIN_WATCH_MS = 6 * 3600_000;

/**
 * "Retrain" on a drift alert: re-runs the source notebook version of the drifting model (its code cells
 * up to the training cell) on a kernel of its own, headless, with `ferry.params.dataRef` set to the
 * newer data. The new run is tagged with the alert and links back to it. Nothing is deployed: the new
 * model still has to be promoted and approved.
 */
export async function retrainer(ctx: AppContext, actor: Actor, alertId: string, input: { dataRef?: string; useRecordedData?: boolean }) {
  const { db } = ctx;
  const [alert] = await db.select().from(driftAlerts).where(eq(driftAlerts.id, alertId));
  if (!alert) throw notFound('drift alert');
  await authorizeWorkspace(db, actor, alert.workspaceId, 'drift.retrain');
  const [version] = await db
    .select({ workspaceId: registeredModels.workspaceId })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(eq(modelVersions.id, alert.modelVersionId));
  // An alert names a version of its own workspace, or nothing here may re-run it as anyone.
  if (version?.workspaceId !== alert.workspaceId)
    throw forbidden('this alert names a model version of another workspace: it cannot be retrained from here');
  const [source] = await db
    .select({ run: runs, content: notebookVersions.content, versionId: notebookVersions.id })
    .from(modelVersions)
    .innerJoin(runs, eq(runs.id, modelVersions.runId))
    .innerJoin(notebookVersions, eq(notebookVersions.id, runs.notebookVersionId))
    .where(eq(modelVersions.id, alert.modelVersionId));
  if (!source || !source.run.notebookId)
    throw conflict(
      'this model version was not trained in a Ferry notebook (uploaded, or its notebook was deleted): there is nothing to re-run',
    );
  const { notebook } = await authorizeNotebook(db, actor, source.run.notebookId, 'notebook.execute');
  if (notebook.workspaceId !== alert.workspaceId || source.run.workspaceId !== alert.workspaceId)
    throw forbidden('the source notebook of this model version is in another workspace: it cannot be retrained from here');
  const content = source.content as { cells: StoredCell[] };
  const cells = cellsToRun(content, await lastLoggingCell(ctx, source.run.id, content, source.run.cellId));
  if (cells.length === 0) throw conflict('the source notebook version has no code cells to run');
  const usage = dataRefUsage(cells);
  if (input.dataRef && !usage.readsDataRef && !input.useRecordedData) throw hardCodedData(usage, input.dataRef);
  const notebookId = source.run.notebookId;
  const userId = userIdOf(actor);
  const dataRef = input.dataRef ?? '';
  const kernel = await ctx.kernels.claimDetached(notebookId);
  const executionIds = cells.map(() => randomUUID());
  // Scoped to this detached kernel and its executions; revoked when the watcher shuts the kernel down.
  const token = await jobTokenCreator(db, {
    userId,
    scope: { notebookId, kernelId: kernel.kernelId, executionIds, driftAlertId: alertId },
    ttlMs: KERNEL_BOOT_MS + cells.length * CELL_LIMITS.timeoutMs,
  });
  const jobs: CellJob[] = cells.map((cell, i) => ({
    v: 1,
    executionId: executionIds[i]!,
    notebookId,
    kernelId: kernel.kernelId,
    cellId: cell.id,
    notebookVersionId: source.versionId,
    code: cell.source,
    language: 'typescript',
    requestedBy: userId,
    helperApi: { url: ctx.internalUrl, token },
    limits: CELL_LIMITS,
    headless: true,
    params: { dataRef, retrainOf: alertId },
    // One run for the whole re-run, whichever cell logs first; it ends with the last cell.
    runTags: { [RETRAIN_TAG]: alertId, [DATA_REF_TAG]: usage.readsDataRef && dataRef ? dataRef : '(as recorded)' },
    opensRun: i === 0,
    endsRun: i === cells.length - 1,
  }));
  await db.update(driftAlerts).set({ retrainRequestedAt: new Date() }).where(eq(driftAlerts.id, alertId));
  await watchAndShutDown(ctx, kernel, jobs);
  for (const job of jobs) await ctx.bus.jobs.enqueue(subjects.cellJob(kernel.workerId), job, { id: job.executionId });
  await audit(db, {
    workspaceId: alert.workspaceId,
    actorId: userId,
    action: 'drift.retrain',
    subjectType: 'drift_alert',
    subjectId: alertId,
    data: { notebookVersionId: source.versionId, cells: cells.length, dataRef: dataRef || null, workerId: kernel.workerId },
  });
  return {
    alertId,
    notebookId,
    notebookVersionId: source.versionId,
    workerId: kernel.workerId,
    executionIds: jobs.map((j) => j.executionId),
  };
}

/**
 * The cell of the source run that logged last, in notebook order: a run spans cells, and a re-run must
 * reach the one that logged the model (older runs recorded one cell, `runs.cell_id`).
 */
async function lastLoggingCell(ctx: AppContext, runId: string, content: { cells: StoredCell[] }, fallback: string | null) {
  const logged = new Set(
    (await ctx.db.select({ cellId: runCells.cellId }).from(runCells).where(eq(runCells.runId, runId))).map((c) => c.cellId),
  );
  const last = [...content.cells].reverse().find((c) => logged.has(c.id));
  return last?.id ?? fallback;
}

/** 409: the retraining would claim new data while the notebook reads the data it names itself. */
function hardCodedData(usage: ReturnType<typeof dataRefUsage>, dataRef: string) {
  const where = usage.hardCoded.map((h) => `cell ${h.position} reads ${h.refs.map((r) => `'${r}'`).join(', ')}`).join('; ');
  return conflict(
    `the notebook hard-codes its dataset${where ? ` (${where})` : ''} and never reads ferry.params.dataRef, so a retraining on ${dataRef} would train on the same data again. ` +
      `Make the cell read ferry.useDataset(ferry.params.dataRef || '…'), or retrain with useRecordedData: true to re-run it on the data it names.`,
  );
}

/** Frees the retraining's kernel once its last cell finishes (or one fails), so workers do not fill up. */
async function watchAndShutDown(
  ctx: AppContext,
  kernel: { kernelId: string; workerId: string; notebookId: string; backend: string },
  jobs: CellJob[],
) {
  const pending = new Set(jobs.map((j) => j.executionId));
  const sub = await ctx.bus.subscribe(subjects.cellEvents(kernel.notebookId), async (msg) => {
    const event = cellEventSchema.safeParse(msg.json());
    if (!event.success || event.data.type !== 'finished' || !pending.has(event.data.executionId)) return;
    pending.delete(event.data.executionId);
    if (event.data.status !== 'ok' || pending.size === 0) {
      ctx.log.info('retraining finished', { notebookId: kernel.notebookId, status: event.data.status, left: pending.size });
      await done();
    }
  });
  const timer = setTimeout(() => void done(), RETRAIN_WATCH_MS);
  timer.unref();
  let closed = false;
  async function done() {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    await sub.unsubscribe();
    await kernelTokenRevoker(ctx.db, kernel.kernelId).catch((error: unknown) =>
      ctx.log.error('could not revoke the retraining’s job token', { error: String(error) }),
    );
    await ctx.kernels
      .shutdownDetached(kernel)
      .catch((error: unknown) => ctx.log.warn('could not shut the retraining kernel down', { error: String(error) }));
  }
}
