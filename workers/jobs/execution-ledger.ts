import type { CellEvent } from '../../core/contracts/messages/cell-execution';

// What this worker process ran lately, so that a cell job delivered again (its ack lost while the bus
// was away) is answered with the real outcome rather than "kernel died". Bounded: a redelivery comes
// within a few ack-wait periods, long before a thousand later cells.

export type FinishedEvent = Omit<Extract<CellEvent, { type: 'finished' }>, 'v' | 'executionId' | 'notebookId' | 'cellId' | 'headless'>;

export interface ExecutionLedger {
  /** Records that an execution started here; `end` records how it finished. */
  start(executionId: string): { end(finished: FinishedEvent): void };
  /** The outcome of an execution this process ran (resolves when it ends), or undefined if it never ran here. */
  lookup(executionId: string): Promise<FinishedEvent> | undefined;
}

const KEEP = 1000;

export function createExecutionLedger(): ExecutionLedger {
  const entries = new Map<string, Promise<FinishedEvent>>();
  return {
    start(executionId) {
      let end!: (finished: FinishedEvent) => void;
      entries.set(executionId, new Promise<FinishedEvent>((resolve) => (end = resolve)));
      // Maps iterate in insertion order: the first key is the oldest.
      if (entries.size > KEEP) entries.delete(entries.keys().next().value!);
      return { end };
    },
    lookup: (executionId) => entries.get(executionId),
  };
}
