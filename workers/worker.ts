import { cpus, totalmem } from 'node:os';
import type { Bus } from '../core/bus/port';
import type { WorkerHeartbeat } from '../core/contracts/messages/worker-heartbeat';
import { subjects } from '../core/contracts/subjects';
import { startCellRunner } from './jobs/cell-runner';
import { prepareKernelLauncher, type KernelLauncher } from './kernel/kernel-sandbox';
import type { KernelSandboxConfig } from './kernel/sandbox-config';
import { probeGpu } from './gpu-probe';
import { startTrainingRunner } from './jobs/training-runner';

// A worker: the cell runner plus heartbeats announcing its capabilities. Started by workers/main.ts
// (standalone, through NATS) or embedded in the server process.

export const HEARTBEAT_MS = 2000;

export interface RunningWorker {
  workerId: string;
  readonly backend: string;
  /** How its kernels are isolated, decided by the sandbox self-test at start. */
  sandbox: Pick<KernelLauncher, 'mode' | 'description'>;
  stop(): Promise<void>;
}

export interface TrainingQueueOptions {
  ackWaitMs: number;
  maxDeliver: number;
}

export const DEFAULT_TRAINING_QUEUE: TrainingQueueOptions = { ackWaitMs: 30_000, maxDeliver: 3 };

export async function startWorker(opts: {
  bus: Bus;
  workerId: string;
  maxKernels: number;
  labels: string[];
  sandbox: KernelSandboxConfig;
  training?: TrainingQueueOptions;
}): Promise<RunningWorker> {
  const launcher = await prepareKernelLauncher(opts.sandbox);
  const sandbox = { mode: launcher.mode, description: launcher.description };
  const runner = await startCellRunner({ bus: opts.bus, workerId: opts.workerId, maxKernels: opts.maxKernels, launcher });
  const gpu = await probeGpu();
  const trainings = await startTrainingRunner({
    bus: opts.bus,
    workerId: opts.workerId,
    labels: opts.labels,
    gpu: gpu !== null,
    launcher,
    ...(opts.training ?? DEFAULT_TRAINING_QUEUE),
  });
  const beat = () => {
    const hb: WorkerHeartbeat = {
      v: 1,
      workerId: opts.workerId,
      backend: runner.backend(),
      kernels: runner.kernels() + trainings.running(),
      freeSlots: runner.freeSlots(),
      cpus: cpus().length,
      memoryMb: Math.round(totalmem() / 1048576),
      labels: opts.labels,
      gpu,
      sandbox,
    };
    return opts.bus.publish(subjects.workerHeartbeat, hb).catch(() => undefined);
  };
  await beat();
  const timer = setInterval(() => void beat(), HEARTBEAT_MS);
  return {
    workerId: opts.workerId,
    sandbox,
    get backend() {
      return runner.backend();
    },
    async stop() {
      clearInterval(timer);
      await trainings.stop();
      await runner.stop();
      await opts.bus.publish(subjects.workerGone, { v: 1, workerId: opts.workerId }).catch(() => undefined);
    },
  };
}
