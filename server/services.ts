import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import { kernelSandboxConfig } from '../workers/kernel/sandbox-config';
import { startWorker, type RunningWorker } from '../workers/worker';
import { createCollabService, type CollabService } from './collab/collab-service';
import type { AppContext } from './context';
import { startCellEventWriter } from './execution/cell-event-writer';
import { startTrainingEventWriter } from './execution/training-event-writer';
import { reapLostWork } from './execution/lost-work-reaper';
import { startAutoRetrainer } from './operations/fleet/auto-retrainer';
import { startEventDispatcher } from './registry-events/event-dispatcher';

// Long-lived parts of the server process beside HTTP: collaboration rooms, cell-event ingestion,
// embedded workers. Started after the context, stopped before it.
export interface ServerServices {
  collab: CollabService;
  /** Returns true when the upgrade was for one of ours (e.g. /yjs/...), false to let Next have it. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  stop(): Promise<void>;
}

export async function startServerServices(ctx: AppContext): Promise<ServerServices> {
  const collab = await createCollabService(ctx);
  ctx.collab = collab;
  const writer = await startCellEventWriter({ bus: ctx.bus, docs: collab, kernels: ctx.kernels, log: ctx.log.child('cells'), db: ctx.db });
  reapLostWork({
    db: ctx.db,
    docs: collab,
    kernels: ctx.kernels,
    workers: ctx.workers,
    log: ctx.log.child('cells'),
    leadership: ctx.leadership,
  });
  const autoRetrain = startAutoRetrainer(ctx);
  const trainingEvents = await startTrainingEventWriter({ db: ctx.db, bus: ctx.bus, log: ctx.log.child('trainings') });
  const events = startEventDispatcher({
    db: ctx.db,
    bus: ctx.bus,
    log: ctx.log.child('registry-events'),
    retryBaseMs: ctx.env.FERRY_WEBHOOK_RETRY_BASE_MS,
    secretKey: ctx.secretKey,
    allowPrivate: ctx.env.FERRY_WEBHOOK_ALLOW_PRIVATE === '1',
  });
  const workers: RunningWorker[] = [];
  for (let i = 0; i < ctx.env.FERRY_EMBEDDED_WORKERS; i++) {
    const workerId = `embedded-${hostname()
      .replace(/[^A-Za-z0-9_-]/g, '-')
      .slice(0, 30)}-${process.pid}-${i}`;
    const sandbox = kernelSandboxConfig(ctx.env, [ctx.env.dataDir]);
    const worker = await startWorker({ bus: ctx.bus, workerId, maxKernels: 4, labels: ['embedded'], sandbox });
    workers.push(worker);
    const log = worker.sandbox.mode === 'bubblewrap' ? ctx.log.info : ctx.log.warn;
    log(`embedded worker ${workerId} started; kernels: ${worker.sandbox.description}`);
  }
  return {
    collab,
    handleUpgrade: (req, socket, head) => collab.handleUpgrade(req, socket, head),
    async stop() {
      for (const w of workers) await w.stop();
      autoRetrain.stop();
      await events.stop();
      await trainingEvents.unsubscribe();
      await writer.unsubscribe();
      await collab.stop();
    },
  };
}
