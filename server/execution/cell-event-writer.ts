import * as Y from 'yjs';
import type { Bus, Subscription } from '../../core/bus/port';
import { cellEventSchema, type CellEvent } from '../../core/contracts/messages/cell-execution';
import type { CellOutput } from '../../core/contracts/messages/outputs';
import { CELL_KEYS } from '../../core/contracts/notebook-schema';
import { queueGroups, subjects } from '../../core/contracts/subjects';
import { findCell, outputToY } from '../../core/notebook/notebook-doc';
import { assertNever } from '../../core/assert-never';
import type { Logger } from '../log';
import type { KernelSessions } from './kernel-sessions';
import type { NotebookDocs } from './notebook-docs';

// Writes what workers report into the shared document, so every participant sees outputs live and
// outputs persist with the notebook (one server instance handles each event: queue group).

export async function startCellEventWriter(deps: {
  bus: Bus;
  docs: NotebookDocs;
  kernels: KernelSessions;
  log: Logger;
}): Promise<Subscription> {
  return deps.bus.subscribe(
    subjects.cellEventsAll,
    async (msg) => {
      const parsed = cellEventSchema.safeParse(msg.json());
      if (!parsed.success) return deps.log.warn('ignored malformed cell event', { subject: msg.subject });
      const event = parsed.data;
      // Headless jobs (retrainings) run on their own kernel and leave the shared notebook alone.
      if (event.headless) return;
      if (event.type === 'finished' && event.status === 'kernel-died') deps.kernels.forget(event.notebookId);
      try {
        await deps.docs.applyServerChange(event.notebookId, (doc) => applyCellEvent(doc, event));
      } catch (error) {
        deps.log.error('could not write a cell event into the notebook', { notebookId: event.notebookId, error: String(error) });
      }
    },
    { queue: queueGroups.server },
  );
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
    case 'finished':
      cell.set(CELL_KEYS.executionState, 'idle');
      if (event.executionCount !== null) cell.set(CELL_KEYS.executionCount, event.executionCount);
      return;
    default:
      assertNever(event);
  }
}

/** Consecutive stream chunks of one stream are joined, as Jupyter shows them. */
function appendOutput(cell: Y.Map<unknown>, output: CellOutput): void {
  let outputs = cell.get(CELL_KEYS.outputs);
  if (!(outputs instanceof Y.Array)) {
    outputs = new Y.Array();
    cell.set(CELL_KEYS.outputs, outputs);
  }
  const list = outputs as Y.Array<Y.Map<unknown>>;
  const last = list.length > 0 ? list.get(list.length - 1) : undefined;
  if (output.output_type === 'stream' && last?.get('output_type') === 'stream' && last.get('name') === output.name) {
    last.set('text', String(last.get('text') ?? '') + output.text);
    return;
  }
  list.push([outputToY(output)]);
}
