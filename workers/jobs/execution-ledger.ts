import type { CellEvent } from '../../core/contracts/messages/cell-execution';
import type { CellOutput } from '../../core/contracts/messages/outputs';

// What this worker process ran lately, so that a cell job delivered again (its ack lost while the bus
// was away) is answered with the real outcome rather than "kernel died". Bounded: a redelivery comes
// within a few ack-wait periods, long before a thousand later cells.

export type FinishedEvent = Omit<Extract<CellEvent, { type: 'finished' }>, 'v' | 'executionId' | 'notebookId' | 'cellId' | 'headless'>;

export interface Ending {
  finished: FinishedEvent;
  /** Every output again, when the bus was away while the execution ran (else null). */
  replay: CellOutput[] | null;
}

export interface ExecutionLedger {
  /** Records that an execution started here; `end` records how it ended. */
  start(executionId: string): { end(ending: Ending): void };
  /** How an execution this process ran ended (resolves when it ends), or undefined if it never ran here. */
  lookup(executionId: string): Promise<Ending> | undefined;
}

const KEEP = 1000;

export function createExecutionLedger(): ExecutionLedger {
  const entries = new Map<string, Promise<Ending>>();
  return {
    start(executionId) {
      let end!: (ending: Ending) => void;
      entries.set(executionId, new Promise<Ending>((resolve) => (end = resolve)));
      // Maps iterate in insertion order: the first key is the oldest.
      if (entries.size > KEEP) entries.delete(entries.keys().next().value!);
      return { end };
    },
    lookup: (executionId) => entries.get(executionId),
  };
}
