import { cellErrorLabel } from '../../core/notebook/cell-label';
import type { Bus, Job, Subscription } from '../../core/bus/port';
import {
  cellJobSchema,
  kernelClaimRequestSchema,
  kernelControlSchema,
  type CellEvent,
  type CellJob,
} from '../../core/contracts/messages/cell-execution';
import { queueGroups, subjects } from '../../core/contracts/subjects';
import { Kernel } from '../kernel/kernel';
import type { KernelLauncher } from '../kernel/kernel-sandbox';
import { createExecutionLedger, type Ending } from './execution-ledger';
import { createOutputReplay } from './output-replay';
import { withinBusLimit } from './output-limits';

// Glue between the bus and this worker's kernels: claim kernels, run cell jobs in order per kernel,
// publish every output as it comes, take interrupt/restart/shutdown requests.

export interface CellRunner {
  kernels(): number;
  freeSlots(): number;
  backend(): string;
  stop(): Promise<void>;
}

const ACK_WAIT_MS = 30_000;

export async function startCellRunner(opts: {
  bus: Bus;
  workerId: string;
  maxKernels: number;
  launcher: KernelLauncher;
}): Promise<CellRunner> {
  const { bus, workerId } = opts;
  const kernels = new Map<string, Kernel>();
  const queues = new Map<string, Promise<void>>();
  const ledger = createExecutionLedger();
  let lastBackend = 'not started';
  const subs: Subscription[] = [];

  const claimKernel = async (msg: { json(): unknown }) => {
    const req = kernelClaimRequestSchema.parse(msg.json());
    if (kernels.size >= opts.maxKernels) throw new Error(`worker ${workerId} has no free kernel slot`);
    const kernel = new Kernel(req.kernelId, opts.launcher);
    kernels.set(req.kernelId, kernel);
    // Reply at once and let the kernel boot meanwhile: a loaded machine can take longer to start
    // TensorFlow.js than the claim may wait, and the first cell waits for the boot anyway.
    void kernel.start().then(
      () => (lastBackend = kernel.backend),
      () => undefined,
    );
    return { v: 1, workerId, backend: lastBackend === 'not started' ? 'starting' : lastBackend };
  };
  subs.push(await bus.reply(subjects.kernelClaim, claimKernel, { queue: queueGroups.workers }));
  subs.push(await bus.reply(subjects.kernelClaimFor(workerId), claimKernel));

  subs.push(
    await bus.reply(subjects.kernelControl(workerId), async (msg) => {
      const req = kernelControlSchema.parse(msg.json());
      const kernel = kernels.get(req.kernelId);
      if (!kernel) throw new Error(`no kernel ${req.kernelId} on worker ${workerId}`);
      if (req.action === 'interrupt') kernel.interrupt();
      else if (req.action === 'restart') await kernel.restart();
      else {
        kernel.shutdown();
        kernels.delete(req.kernelId);
      }
      return { ok: true };
    }),
  );

  const consumer = await bus.jobs.consume(
    {
      durable: `cell-${workerId}`,
      filterSubject: subjects.cellJob(workerId),
      transient: true,
      ackWaitMs: ACK_WAIT_MS,
      maxDeliver: 3,
      concurrency: Math.max(1, opts.maxKernels),
    },
    async (job) => {
      const parsed = cellJobSchema.safeParse(job.json());
      if (!parsed.success) return job.term(`invalid cell job: ${parsed.error.issues[0]?.message}`);
      const cell = parsed.data;
      // Cells of one kernel run one after another, in the order they were queued.
      const previous = queues.get(cell.kernelId) ?? Promise.resolve();
      const next = previous.then(() => runCell(cell, job));
      queues.set(
        cell.kernelId,
        next.catch(() => undefined),
      );
      await next;
    },
  );

  async function runCell(cell: CellJob, job: Job) {
    const publish = (event: CellEvent) => bus.publish(subjects.cellEvents(cell.notebookId), event);
    // Every event of this execution carries the same identity.
    const about = {
      v: 1 as const,
      executionId: cell.executionId,
      notebookId: cell.notebookId,
      cellId: cell.cellId,
      ...(cell.headless ? { headless: true } : {}),
    };
    const keepAlive = setInterval(() => void job.working(), ACK_WAIT_MS / 3);
    try {
      const known = job.deliveryCount > 1 ? ledger.lookup(cell.executionId) : undefined;
      if (known) {
        // Delivered again because our ack was lost (the bus was away): the cell ran, or runs, here.
        // Say how it really ended instead of calling the kernel dead.
        await publishEnding(publish, about, await known);
        return job.ack();
      }
      if (job.deliveryCount > 1) {
        // We took this job before and have no record of it: this worker restarted, and the kernel
        // that held it died with the old process.
        await publish({
          ...about,
          type: 'output',
          output: {
            output_type: 'error',
            ename: 'KernelDied',
            evalue: 'the worker restarted while this cell ran; run it again',
            traceback: [],
          },
        });
        await publish({
          ...about,
          type: 'finished',
          status: 'kernel-died',
          executionCount: null,
          durationMs: 0,
        });
        return job.ack();
      }
      let kernel = kernels.get(cell.kernelId);
      if (!kernel) {
        kernel = new Kernel(cell.kernelId, opts.launcher);
        kernels.set(cell.kernelId, kernel);
      }
      await publish({
        ...about,
        type: 'started',
        workerId,
        executionCount: kernel.executionCount + 1,
      });
      const outputs: Promise<void>[] = [];
      const ran = ledger.start(cell.executionId);
      const replay = createOutputReplay();
      const reconnectsAtStart = bus.reconnects();
      const result = await kernel.execute(
        {
          executionId: cell.executionId,
          code: cell.code,
          language: cell.language,
          cellLabel: cellErrorLabel(cell.code, kernel.executionCount + 1),
          limits: cell.limits,
          job: {
            executionId: cell.executionId,
            notebookId: cell.notebookId,
            notebookVersionId: cell.notebookVersionId,
            cellId: cell.cellId,
            kernelId: cell.kernelId,
            workerId,
            helperApi: cell.helperApi,
            params: cell.params,
            runTags: cell.runTags,
            opensRun: cell.opensRun,
            endsRun: cell.endsRun,
          },
        },
        (output) => {
          const limited = withinBusLimit(output);
          replay.add(limited);
          outputs.push(publish({ ...about, type: 'output', output: limited }));
        },
      );
      lastBackend = kernel.backend;
      const finished = {
        type: 'finished' as const,
        status: result.status,
        executionCount: result.executionCount,
        durationMs: result.durationMs,
      };
      const busWasAway = !bus.connected() || bus.reconnects() !== reconnectsAtStart;
      const ending = { finished, replay: busWasAway ? replay.outputs() : null };
      ran.end(ending);
      await Promise.all(outputs);
      await publish({ ...about, ...finished });
      await job.ack();
      if (ending.replay) void replayAfterOutage(bus, () => publishEnding(publish, about, ending));
    } finally {
      clearInterval(keepAlive);
    }
  }

  return {
    kernels: () => kernels.size,
    freeSlots: () => Math.max(0, opts.maxKernels - kernels.size),
    backend: () => lastBackend,
    async stop() {
      await consumer.stop();
      for (const s of subs) await s.unsubscribe();
      for (const k of kernels.values()) k.shutdown();
      kernels.clear();
    },
  };
}

type EventIdentity = Pick<CellEvent, 'v' | 'executionId' | 'notebookId' | 'cellId' | 'headless'>;

/** An execution's end as the server must hear it: its outputs again when they may have been lost, then how it finished. */
async function publishEnding(publish: (event: CellEvent) => Promise<void>, about: EventIdentity, ending: Ending) {
  if (ending.replay) await publish({ ...about, type: 'outputs-replayed', outputs: ending.replay });
  await publish({ ...about, ...ending.finished });
}

const REPLAY_DELAY_MS = 3000;
const REPLAY_WAIT_MS = 10 * 60_000;

/**
 * Core NATS drops what is published before the server's subscription is back, so what an execution
 * sent around an outage is sent again once the bus has been back a little while (the server applies
 * it idempotently: the replay replaces the cell's outputs).
 */
async function replayAfterOutage(bus: Bus, send: () => Promise<void>) {
  const deadline = Date.now() + REPLAY_WAIT_MS;
  while (!bus.connected() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  if (!bus.connected()) return;
  await new Promise((r) => setTimeout(r, REPLAY_DELAY_MS));
  await send().catch(() => undefined);
}
