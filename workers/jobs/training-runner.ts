import { cellErrorLabel } from '../../core/notebook/cell-label';
import { randomUUID } from 'node:crypto';
import type { Bus, Consumer, Job } from '../../core/bus/port';
import type { CellOutput } from '../../core/contracts/messages/outputs';
import {
  TRAINING_TAG,
  trainingControlSchema,
  trainingJobSchema,
  type TrainingEvent,
  type TrainingJob,
} from '../../core/contracts/messages/training';
import { subjects } from '../../core/contracts/subjects';
import { assertNever } from '../../core/assert-never';
import { Kernel } from '../kernel/kernel';
import type { KernelLauncher } from '../kernel/kernel-sandbox';
import { withinBusLimit } from './output-limits';

// Takes background trainings this worker can run (any; gpu when it has one; its labels) from the
// shared JetStream queue, runs the job's cells on a fresh kernel, streams their output as the
// training's log, and acks only at the end: a worker that dies mid-training leaves the job unacked,
// so JetStream hands it to another worker, whose `ferry.fit` resumes from the last checkpoint.

export interface TrainingRunnerOptions {
  bus: Bus;
  workerId: string;
  labels: string[];
  gpu: boolean;
  /** Without a sign of life for this long a job is given to another worker. */
  ackWaitMs: number;
  /** Deliveries before a job is given up (each one a worker that died running it). */
  maxDeliver: number;
  launcher: KernelLauncher;
}

export interface TrainingRunner {
  running(): number;
  /** The backend of the latest training's kernel. */
  backend(): string;
  stop(): Promise<void>;
}

function logText(output: CellOutput): string {
  switch (output.output_type) {
    case 'stream':
      return output.text;
    case 'error':
      return `${output.ename}: ${output.evalue}\n${output.traceback.join('\n')}${output.traceback.length ? '\n' : ''}`;
    case 'execute_result':
    case 'display_data': {
      const text = output.data['text/plain'];
      return `${typeof text === 'string' ? text : Array.isArray(text) ? text.join('') : '[rich output]'}\n`;
    }
    default:
      return assertNever(output);
  }
}

export async function startTrainingRunner(opts: TrainingRunnerOptions): Promise<TrainingRunner> {
  const { bus, workerId } = opts;
  let active = 0;
  let backend = 'starting';
  const publish = (event: TrainingEvent) => bus.publish(subjects.trainingEvents, event);

  /** What the server says of this training before we spend a kernel on it. */
  async function standing(t: TrainingJob): Promise<'run' | 'ended' | 'unknown' | 'unreachable'> {
    try {
      const res = await fetch(`${t.helperApi.url}/api/kernel/trainings/${t.trainingId}`, {
        headers: { authorization: `Bearer ${t.helperApi.token}` },
      });
      // Its token or its row unknown: a job left by another Ferry deployment on this NATS.
      if (res.status === 401 || res.status === 404) return 'unknown';
      if (!res.ok) return 'unreachable';
      const body = (await res.json()) as { status: string };
      return ['succeeded', 'failed', 'cancelled'].includes(body.status) ? 'ended' : 'run';
    } catch {
      return 'unreachable';
    }
  }

  /**
   * Renews the training's job token while the attempt runs: the server keeps it only a short while
   * past each renewal, so a token copied out of the kernel dies soon after the training does.
   */
  function keepTokenAlive(t: TrainingJob): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const beat = async () => {
      let nextMs = 5_000;
      try {
        const res = await fetch(`${t.helperApi.url}/api/kernel/trainings/${t.trainingId}`, {
          headers: { authorization: `Bearer ${t.helperApi.token}` },
        });
        const body = (await res.json().catch(() => ({}))) as { tokenExpiresAt?: string | null };
        const left = body.tokenExpiresAt ? Date.parse(body.tokenExpiresAt) - Date.now() : NaN;
        if (res.ok && Number.isFinite(left)) nextMs = Math.min(60_000, Math.max(200, left / 3));
      } catch {
        // The server is restarting: try again soon.
      }
      if (!stopped) timer = setTimeout(() => void beat(), nextMs);
    };
    timer = setTimeout(() => void beat(), 200);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  async function run(job: Job) {
    const parsed = trainingJobSchema.safeParse(job.json());
    if (!parsed.success) return job.term(`invalid training job: ${parsed.error.issues[0]?.message}`);
    const t = parsed.data;
    console.log(`training ${t.trainingId}: delivery ${job.deliveryCount} from ${job.subject}`);
    const state = await standing(t);
    if (state === 'ended') return job.ack();
    if (state === 'unknown') return job.term('the server that queued this training does not know it');
    // The server is restarting or unreachable: try again later (this counts towards maxDeliver).
    if (state === 'unreachable') return job.nak(5_000);
    active++;
    const kernel = new Kernel(randomUUID(), opts.launcher);
    let cancelled = false;
    const control = await bus.subscribe(subjects.trainingControl(t.trainingId), (msg) => {
      if (!trainingControlSchema.safeParse(msg.json()).success) return;
      cancelled = true;
      kernel.interrupt();
    });
    const keepAlive = setInterval(() => void job.working(), Math.max(200, opts.ackWaitMs / 3));
    const stopRenewing = keepTokenAlive(t);
    const finish = async (status: 'succeeded' | 'failed' | 'cancelled', error: string | null) => {
      await publish({ v: 1, trainingId: t.trainingId, type: 'finished', status, error, workerId });
      await job.ack();
    };
    try {
      await kernel.start(t.limits.memoryMb).catch(() => undefined);
      backend = kernel.backend;
      await publish({ v: 1, trainingId: t.trainingId, type: 'started', workerId, attempt: job.deliveryCount, backend: kernel.backend });
      for (const [index, cell] of t.cells.entries()) {
        let lastError: string | null = null;
        const logs: Promise<void>[] = [];
        const executionId = randomUUID();
        const result = await kernel.execute(
          {
            executionId,
            code: cell.source,
            language: 'typescript',
            cellLabel: cellErrorLabel(cell.source, index + 1),
            limits: t.limits,
            job: {
              executionId,
              notebookId: t.notebookId,
              notebookVersionId: t.notebookVersionId,
              cellId: cell.id,
              kernelId: kernel.kernelId,
              workerId,
              helperApi: t.helperApi,
              params: t.params,
              // Every cell of the chain logs into the training's one run, whichever cell opens it.
              runTags: { [TRAINING_TAG]: t.trainingId },
              endsRun: index === t.cells.length - 1,
            },
          },
          (output) => {
            if (output.output_type === 'error') lastError = `${output.ename}: ${output.evalue}`;
            const text = logText(withinBusLimit(output));
            if (text) logs.push(publish({ v: 1, trainingId: t.trainingId, type: 'log', text }));
          },
        );
        await Promise.all(logs);
        if (cancelled) return await finish('cancelled', 'cancelled while running');
        if (result.status !== 'ok') return await finish('failed', `cell ${cell.id}: ${lastError ?? result.status}`);
      }
      await finish('succeeded', null);
    } finally {
      clearInterval(keepAlive);
      stopRenewing();
      await control.unsubscribe();
      kernel.shutdown();
      active--;
    }
  }

  const needs = [
    subjects.trainingJob({ gpu: false }),
    ...(opts.gpu ? [subjects.trainingJob({ gpu: true })] : []),
    ...opts.labels.map((label) => subjects.trainingJob({ gpu: false, label })),
  ];
  const consumers: Consumer[] = [];
  console.log(`trainings: ${workerId} takes ${needs.join(', ')}`);
  for (const subject of needs)
    consumers.push(
      await bus.jobs.consume(
        {
          // One durable per kind of work, shared by every worker that can do it.
          durable: `training-${subject.split('.').slice(3).join('-')}`,
          filterSubject: subject,
          ackWaitMs: opts.ackWaitMs,
          maxDeliver: opts.maxDeliver,
          concurrency: 1,
          onDeadLetter: async (dead) => {
            const trainingId = (JSON.parse(new TextDecoder().decode(dead.data)) as { trainingId?: string }).trainingId;
            if (trainingId) await publish({ v: 1, trainingId, type: 'dead', deliveries: dead.deliveryCount, workerId });
          },
        },
        run,
      ),
    );
  return {
    running: () => active,
    backend: () => backend,
    async stop() {
      for (const c of consumers) await c.stop();
    },
  };
}
