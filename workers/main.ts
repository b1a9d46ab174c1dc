import { connectNatsBus } from '../core/bus/nats';
import { subjects } from '../core/contracts/subjects';
import { parseWorkerEnv, type WorkerEnv } from './env';
import { startWorker } from './worker';

// `npm run worker`: one extra worker joining the fleet through NATS.

async function main() {
  let env: WorkerEnv;
  try {
    env = parseWorkerEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const bus = await connectNatsBus(env.NATS_URL, { name: `ferry-worker-${env.workerId}` });
  const worker = await startWorker({
    bus,
    workerId: env.workerId,
    maxKernels: env.FERRY_WORKER_KERNELS,
    labels: env.labels,
    sandbox: env.sandbox,
    training: { ackWaitMs: env.FERRY_TRAINING_ACK_WAIT_MS, maxDeliver: env.FERRY_TRAINING_MAX_DELIVER },
  });
  console.log(
    `worker ${env.workerId} joined via ${env.NATS_URL} (backend ${worker.backend}, ${env.FERRY_WORKER_KERNELS} kernel slots, kernels: ${worker.sandbox.description})`,
  );
  const shutdown = async () => {
    await worker.stop();
    await bus.publish(subjects.workerGone, { v: 1, workerId: env.workerId }).catch(() => undefined);
    await bus.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(`worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
