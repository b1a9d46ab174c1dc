import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../drizzle/client';
import { cellExecutions } from '../../drizzle/schema';
import type { WorkerRegistry } from '../fleet/worker-registry';
import type { Logger } from '../log';
import type { Leadership } from '../leadership';
import { kernelRunEnder } from '../operations/tracking/kernel-run-ender';
import { endedExecutionTokenRevoker, requeuedTrainingTokenExtender } from '../operations/identity/job-tokens';
import { applyCellEvent } from './cell-event-writer';
import type { KernelSessions } from './kernel-sessions';
import type { NotebookDocs } from './notebook-docs';

/**
 * When a worker dies (kill -9, crash, lost machine) the cells it held would stay "running" forever:
 * its queue is its own and nobody else takes it. Each such execution gets a clear "kernel died"
 * output and status (and their job tokens end), and the notebook's next run claims a kernel elsewhere.
 * Trainings go back to their shared queue for another worker; their tokens wait with them.
 */
export function reapLostWork(deps: {
  db: Db;
  docs: NotebookDocs;
  kernels: KernelSessions;
  workers: WorkerRegistry;
  log: Logger;
  leadership: Leadership;
}) {
  deps.workers.onGone((workerId) => {
    // Every instance hears the worker go; the leader alone reports its cells, so each is reported once.
    if (!deps.leadership.isLeader()) return;
    void (async () => {
      const lost = await deps.db
        .select()
        .from(cellExecutions)
        .where(and(eq(cellExecutions.workerId, workerId), inArray(cellExecutions.status, ['queued', 'running'])));
      for (const execution of lost) {
        const about = { v: 1 as const, executionId: execution.id, notebookId: execution.notebookId, cellId: execution.cellId };
        const kernelId = deps.kernels.get(execution.notebookId)?.kernelId;
        deps.kernels.forget(execution.notebookId);
        await kernelRunEnder(deps.db, { kernelId, executionId: execution.id }, 'killed');
        await deps.docs.applyServerChange(execution.notebookId, (doc) => {
          applyCellEvent(doc, {
            ...about,
            type: 'output',
            output: {
              output_type: 'error',
              ename: 'KernelDied',
              evalue: `the worker running this cell (${workerId}) stopped; its kernel and variables are gone. Run the cell again: it goes to another worker`,
              traceback: [],
            },
          });
          applyCellEvent(doc, { ...about, type: 'finished', status: 'kernel-died', executionCount: null, durationMs: 0 });
        });
        await deps.db
          .update(cellExecutions)
          .set({ status: 'kernel-died', endedAt: new Date() })
          .where(and(eq(cellExecutions.id, execution.id), inArray(cellExecutions.status, ['queued', 'running'])));
        await endedExecutionTokenRevoker(deps.db, execution.id);
      }
      await requeuedTrainingTokenExtender(deps.db, workerId);
      if (lost.length) deps.log.warn('cells lost with their worker', { workerId, cells: lost.length });
    })().catch((error: unknown) => deps.log.error('could not report cells lost with their worker', { workerId, error: String(error) }));
  });
}
