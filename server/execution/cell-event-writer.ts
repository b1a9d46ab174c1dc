import * as Y from 'yjs';
import { serverSettings } from '../env';
import type { Bus, Subscription } from '../../core/bus/port';
import { cellEventSchema, type CellEvent } from '../../core/contracts/messages/cell-execution';
import type { CellOutput } from '../../core/contracts/messages/outputs';
import { CELL_KEYS } from '../../core/contracts/notebook-schema';
import { queueGroups, subjects } from '../../core/contracts/subjects';
import { findCell, outputToY } from '../../core/notebook/notebook-doc';
import { assertNever } from '../../core/assert-never';
import type { Logger } from '../log';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../drizzle/client';
import { cellExecutions } from '../../drizzle/schema';
import { endedExecutionTokenRevoker } from '../operations/identity/job-tokens';
import { kernelRunEnder } from '../operations/tracking/kernel-run-ender';
import type { KernelSessions } from './kernel-sessions';
import type { NotebookDocs } from './notebook-docs';

// Writes what workers report into the shared document, so every participant sees outputs live and
// outputs persist with the notebook (one server instance handles each event: queue group).

/** Endings after which the kernel process is gone (the worker restarts it): its variables and active run too. */
const KERNEL_LOST = new Set(['kernel-died', 'timeout', 'memory-limit', 'interrupted']);

export async function startCellEventWriter(deps: {
  bus: Bus;
  docs: NotebookDocs;
  kernels: KernelSessions;
  log: Logger;
  db: Db;
}): Promise<Subscription> {
  // Events of one notebook are applied in batches: the first at once (a first output is not delayed),
  // then whatever arrived while the previous change was being stored goes in the next one. A cell
  // printing thousands of lines makes a few dozen document changes, not thousands.
  const pending = new Map<string, CellEvent[]>();
  const flushing = new Map<string, Promise<void>>();
  async function flush(notebookId: string) {
    const received = pending.get(notebookId) ?? [];
    pending.delete(notebookId);
    try {
      const events = await withoutStaleReplays(deps.db, received);
      await deps.docs.applyServerChange(notebookId, (doc) => {
        for (const event of events) applyCellEvent(doc, event);
      });
      for (const event of events) await recordInQueue(deps.db, event);
    } catch (error) {
      deps.log.error('could not write cell events into the notebook', { notebookId, events: received.length, error: String(error) });
    }
  }
  function schedule(notebookId: string) {
    const previous = flushing.get(notebookId) ?? Promise.resolve();
    const next = previous.then(() => (pending.has(notebookId) ? flush(notebookId) : undefined));
    flushing.set(notebookId, next);
    void next.finally(() => {
      if (flushing.get(notebookId) === next) flushing.delete(notebookId);
    });
  }
  return deps.bus.subscribe(
    subjects.cellEventsAll,
    (msg) => {
      const parsed = cellEventSchema.safeParse(msg.json());
      if (!parsed.success) return deps.log.warn('ignored malformed cell event', { subject: msg.subject });
      const event = parsed.data;
      if (event.type === 'finished' && KERNEL_LOST.has(event.status)) {
        // The kernel restarted or died: its session's active run ends with it.
        const kernelId = event.headless ? undefined : deps.kernels.get(event.notebookId)?.kernelId;
        void kernelRunEnder(deps.db, { kernelId, executionId: event.executionId }, 'killed').catch((error: unknown) =>
          deps.log.error('could not end the run of a lost kernel', { notebookId: event.notebookId, error: String(error) }),
        );
      }
      // Headless jobs (retrainings) run on their own kernel and leave the shared notebook alone.
      if (event.headless) return;
      if (event.type === 'finished' && event.status === 'kernel-died') deps.kernels.forget(event.notebookId);
      const batch = pending.get(event.notebookId);
      if (batch) return void batch.push(event);
      pending.set(event.notebookId, [event]);
      schedule(event.notebookId);
    },
    { queue: queueGroups.server },
  );
}

/** A replay is for the cell's latest execution only: a later run's outputs are never overwritten. */
async function withoutStaleReplays(db: Db, events: CellEvent[]): Promise<CellEvent[]> {
  const kept: CellEvent[] = [];
  for (const event of events) {
    if (event.type === 'outputs-replayed') {
      const [latest] = await db
        .select({ id: cellExecutions.id })
        .from(cellExecutions)
        .where(and(eq(cellExecutions.notebookId, event.notebookId), eq(cellExecutions.cellId, event.cellId)))
        .orderBy(desc(cellExecutions.queuedAt))
        .limit(1);
      if (latest?.id !== event.executionId) continue;
    }
    kept.push(event);
  }
  return kept;
}

/** A joined stream output grows up to this size, then a new one starts: each change stays small. */
const STREAM_JOIN_LIMIT = 64 * 1024;

/**
 * The notebook's shared queue (cell_executions) follows each execution through started and finished;
 * a finished execution takes its job token along once no other execution needs it.
 */
async function recordInQueue(db: Db, event: CellEvent): Promise<void> {
  if (event.type === 'started')
    await db
      .update(cellExecutions)
      .set({ status: 'running', startedAt: new Date(), workerId: event.workerId, executionCount: event.executionCount })
      .where(eq(cellExecutions.id, event.executionId));
  else if (event.type === 'finished')
    await db
      .update(cellExecutions)
      .set({
        status: event.status,
        endedAt: new Date(),
        durationMs: Math.round(event.durationMs),
        ...(event.executionCount !== null ? { executionCount: event.executionCount } : {}),
      })
      .where(eq(cellExecutions.id, event.executionId));
  if (event.type === 'finished') await endedExecutionTokenRevoker(db, event.executionId);
}

export function applyCellEvent(doc: Y.Doc, event: CellEvent): void {
  const found = findCell(doc, event.cellId);
  if (!found) return; // the cell was deleted while it ran
  const { cell } = found;
  switch (event.type) {
    case 'started': {
      const outputs = cell.get(CELL_KEYS.outputs);
      if (outputs instanceof Y.Array) outputs.delete(0, outputs.length);
      cell.set(CELL_KEYS.executionState, 'running');
      return;
    }
    case 'output':
      return appendOutput(cell, event.output);
    case 'outputs-replayed': {
      const outputs = cell.get(CELL_KEYS.outputs);
      if (outputs instanceof Y.Array) outputs.delete(0, outputs.length);
      for (const output of event.outputs) appendOutput(cell, output);
      return;
    }
    case 'finished':
      cell.set(CELL_KEYS.executionState, 'idle');
      if (event.executionCount !== null) cell.set(CELL_KEYS.executionCount, event.executionCount);
      return;
    default:
      assertNever(event);
  }
}

/** Per cell: a runaway print loop or a huge plot must not fill the shared document (30 MB) for everyone. */
export const MAX_CELL_OUTPUT_BYTES = serverSettings().FERRY_MAX_CELL_OUTPUT_BYTES;
export const TRUNCATION_NOTE = '[Ferry] output truncated: this cell printed more than';

function outputBytes(output: Y.Map<unknown>): number {
  const text = output.get('text');
  if (typeof text === 'string') return text.length;
  return JSON.stringify(output.toJSON()).length;
}

function sizeOf(output: CellOutput): number {
  return output.output_type === 'stream' ? output.text.length : JSON.stringify(output).length;
}

/** Consecutive stream chunks of one stream are joined, as Jupyter shows them; past the limit, one note says what was dropped. */
function appendOutput(cell: Y.Map<unknown>, output: CellOutput): void {
  let outputs = cell.get(CELL_KEYS.outputs);
  if (!(outputs instanceof Y.Array)) {
    outputs = new Y.Array();
    cell.set(CELL_KEYS.outputs, outputs);
  }
  const list = outputs as Y.Array<Y.Map<unknown>>;
  const last = list.length > 0 ? list.get(list.length - 1) : undefined;
  if (last?.get('output_type') === 'stream' && String(last.get('text') ?? '').startsWith(TRUNCATION_NOTE)) return;
  const used = list.toArray().reduce((sum, o) => sum + outputBytes(o), 0);
  if (used + sizeOf(output) > MAX_CELL_OUTPUT_BYTES) {
    const limit = `${Math.round(MAX_CELL_OUTPUT_BYTES / 1024)} KiB`;
    list.push([
      outputToY({ output_type: 'stream', name: 'stderr', text: `${TRUNCATION_NOTE} ${limit}; the rest of its output was dropped.\n` }),
    ]);
    return;
  }
  if (
    output.output_type === 'stream' &&
    last?.get('output_type') === 'stream' &&
    last.get('name') === output.name &&
    String(last.get('text') ?? '').length + output.text.length <= STREAM_JOIN_LIMIT
  ) {
    last.set('text', String(last.get('text') ?? '') + output.text);
    return;
  }
  list.push([outputToY(output)]);
}
