import type { CellOutput } from '../../core/contracts/messages/outputs';
import type { CellJob } from '../../core/contracts/messages/cell-execution';

// Messages between a worker and its kernel child process.

export type ToKernel =
  | ExecuteMessage
  /** Stop the running cell, keeping the kernel: its timers are cleared and its await is abandoned. */
  | { type: 'interrupt'; executionId: string };

export type ExecuteMessage = {
  type: 'execute';
  executionId: string;
  code: string;
  language: CellJob['language'];
  cellLabel: string;
  job: KernelJobInfo;
};

export interface KernelJobInfo {
  executionId: string;
  notebookId: string;
  notebookVersionId: string;
  cellId: string;
  /** The kernel session: its active run spans this kernel's cells until ended. */
  kernelId?: string;
  /** The worker running the kernel, recorded on the runs it opens. */
  workerId?: string;
  helperApi: { url: string; token: string };
  params?: Record<string, string>;
  runTags?: Record<string, string>;
  /** The active run ends before this cell (Run all, a retraining, every training attempt's first cell). */
  opensRun?: boolean;
  /** The active run ends after this cell (a training's or retraining's last cell). */
  endsRun?: boolean;
}

export type FromKernel =
  | { type: 'ready'; backend: string; backendLog: string[] }
  | { type: 'output'; executionId: string; output: CellOutput }
  | { type: 'done'; executionId: string; ok: boolean; interrupted?: boolean };
