import type { RunModelLog } from '../../core/contracts/api/kernel-runs';
import { profileRows } from '../../core/drift/profile';
import type { TrainingCheckpoint } from '../../core/contracts/messages/training';
import { activeRun, endRun, ensureRun, helperCall, startRun, type RunHandle } from './active-run';
import type { KernelJobInfo } from './ipc';

// `ferry.*` inside a cell: log params, metrics and models to the kernel session's active run
// (workers/kernel/active-run.ts), which spans cells; each cell that logs is recorded on it with its
// notebook version and source hash.

interface TfLike {
  tensor2d(values: number[][]): { dispose(): void };
  tensor(values: Float32Array, shape: number[]): { dispose(): void };
}

/** model.fit's arguments as ferry.fit passes them through (epochs is required: progress needs it). */
export interface FitArgs {
  epochs: number;
  /** Checkpoint every N epochs (1). */
  checkpointEvery?: number;
  callbacks?: { onEpochEnd?: (epoch: number, logs?: Record<string, number>) => unknown; [k: string]: unknown };
  [k: string]: unknown;
}

interface LayersModelLike {
  toJSON(unused?: null, returnString?: boolean): unknown;
  setWeights?(weights: unknown[]): void;
  fit?(x: unknown, y: unknown, args: Record<string, unknown>): Promise<unknown>;
  /** Set by model.compile: its moments (Adam, RMSProp …) are part of a faithful checkpoint. */
  optimizer?: {
    getWeights?(): Promise<Array<{ name: string; tensor: { shape: number[]; dataSync(): ArrayLike<number> } }>>;
    setWeights?(weights: Array<{ name: string; tensor: unknown }>): Promise<void>;
  };
  weights: Array<{ name: string }>;
  getWeights(): Array<{ shape: number[]; dataSync(): ArrayLike<number> }>;
  predict(x: unknown): unknown;
}

export interface FerryHelpers {
  /** Values given to this execution (a retraining passes `dataRef`, the newer data to train on). */
  params: Readonly<Record<string, string>>;
  /** The active run's id, opening one if none is active. */
  runId(): Promise<string>;
  /** Ends the active run (as finished) and opens a new one, with a name and params if given. */
  startRun(opts?: { name?: string; params?: Record<string, string | number | boolean> }): Promise<RunHandle>;
  /** Ends the active run; the next logging call opens a new one. */
  endRun(status?: 'finished' | 'failed' | 'killed'): Promise<void>;
  /** The active run ({ id, name }) or null; never opens one. */
  activeRun(): Promise<RunHandle | null>;
  logParams(params: Record<string, string | number | boolean>): Promise<void>;
  logMetric(key: string, value: number, step?: number): void;
  logMetrics(metrics: Record<string, number>, step?: number): void;
  logModel(
    model: LayersModelLike,
    opts: { sampleInput: number[][]; trainingData?: number[][]; featureNames?: string[]; name?: string },
  ): Promise<{ artifactSha256: string }>;
  /**
   * Rows of a dataset version (`'name@3'`, or `'name'` for the latest), recorded on the run as its
   * data lineage (name, version, sha256).
   */
  useDataset(ref: string): Promise<{
    name: string;
    version: number;
    sha256: string;
    columns: Array<{ name: string; type: 'numeric' | 'categorical' }>;
    rows: Array<Record<string, number | string | null>>;
  }>;
  /**
   * model.fit with what a long training needs: per-epoch metrics on the run, progress with an ETA, and
   * in a background training a checkpoint every `checkpointEvery` epochs; an attempt that takes over
   * from a dead worker restores the last checkpoint's weights and continues from its epoch.
   */
  fit(model: LayersModelLike, x: unknown, y: unknown, args: FitArgs): Promise<unknown>;
  flush(): Promise<void>;
}

export function createFerryHelpers(
  job: KernelJobInfo,
  source: string,
  getTf: () => TfLike,
  info: { backend: string; executionCount: number },
): FerryHelpers {
  let pending: Array<{ key: string; value: number; step: number; timestamp: number }> = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let lastFlush: Promise<void> = Promise.resolve();
  const execution = { job, source, executionCount: info.executionCount, backend: info.backend };

  const call = <T>(path: string, body: unknown) => helperCall<T>(job, path, body);
  const get = <T>(path: string) => helperCall<T>(job, path);
  const runId = async () => (await ensureRun(execution)).id;

  function queueMetric(key: string, value: number, step = 0) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new TypeError(`ferry.logMetric: ${key} must be a finite number, got ${value}`);
    pending.push({ key, value, step, timestamp: Date.now() });
    // Batched: a training loop logging every step costs one request per 200 ms, not one per call.
    flushTimer ??= setTimeout(() => void flush(), 200);
    if (pending.length >= 1000) void flush();
  }

  function flush(): Promise<void> {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return lastFlush;
    lastFlush = lastFlush.then(async () => {
      const id = await runId();
      await call(`/api/kernel/runs/${id}/log`, { metrics: batch });
    });
    return lastFlush;
  }

  return {
    params: Object.freeze({ ...(job.params ?? {}) }),
    runId,
    async startRun(opts = {}) {
      await flush();
      const run = await startRun(execution, { name: opts.name });
      if (opts.params && Object.keys(opts.params).length) await call(`/api/kernel/runs/${run.id}/log`, { params: opts.params });
      return run;
    },
    async endRun(status = 'finished') {
      await flush();
      await endRun(job, status);
    },
    activeRun,
    async logParams(params) {
      const id = await runId();
      await call(`/api/kernel/runs/${id}/log`, { params });
    },
    logMetric: queueMetric,
    logMetrics(metrics, step) {
      for (const [k, v] of Object.entries(metrics)) queueMetric(k, v, step);
    },
    async logModel(model, opts) {
      const tf = getTf();
      const id = await runId();
      const input = tf.tensor2d(opts.sampleInput);
      const predicted = model.predict(input) as { arraySync(): number[][]; dispose(): void };
      const sampleOutput = predicted.arraySync();
      input.dispose();
      predicted.dispose();
      const weights = model.getWeights().map((w, i) => ({
        name: model.weights[i]?.name ?? `w${i}`,
        shape: w.shape,
        dtype: 'float32' as const,
        dataBase64: Buffer.from(Float32Array.from(w.dataSync()).buffer).toString('base64'),
      }));
      const body: RunModelLog = {
        name: opts.name,
        topology: model.toJSON(null, false),
        weights,
        sampleInput: opts.sampleInput,
        sampleOutput,
        referenceProfile: opts.trainingData ? referenceProfileOf(tf, model, opts.trainingData, opts.featureNames) : null,
        featureNames: opts.featureNames,
      };
      return call<{ artifactSha256: string }>(`/api/kernel/runs/${id}/model`, body);
    },
    async useDataset(ref) {
      if (typeof ref !== 'string' || ref.trim() === '') throw new TypeError("ferry.useDataset: give a dataset reference, e.g. 'churn@2'");
      const id = await runId();
      return call(`/api/kernel/runs/${id}/datasets`, { ref });
    },
    async fit(model, x, y, args) {
      if (!model.fit || !model.setWeights) throw new TypeError('ferry.fit: give a tf.LayersModel (tf.sequential() or tf.model())');
      if (!Number.isInteger(args.epochs) || args.epochs < 1) throw new TypeError('ferry.fit: epochs must be a positive integer');
      const trainingId = job.params?.trainingId;
      const every = Math.max(1, Math.floor(args.checkpointEvery ?? 1));
      let initialEpoch = 0;
      if (trainingId) {
        const saved = await get<{ checkpoint: TrainingCheckpoint | null }>(`/api/kernel/trainings/${trainingId}/checkpoint`);
        if (saved.checkpoint && saved.checkpoint.epoch < args.epochs) {
          const tf = getTf();
          model.setWeights(saved.checkpoint.weights.map((w) => tf.tensor(float32Of(w.dataBase64), w.shape)));
          const optimizerState = saved.checkpoint.optimizer ?? [];
          if (optimizerState.length && model.optimizer?.setWeights)
            await model.optimizer.setWeights(
              optimizerState.map((w) => ({ name: w.name, tensor: tf.tensor(float32Of(w.dataBase64), w.shape) })),
            );
          initialEpoch = saved.checkpoint.epoch;
          console.log(
            `ferry.fit: resumed from the checkpoint after epoch ${initialEpoch} of ${args.epochs} (weights${optimizerState.length ? ' and optimizer state' : ''})`,
          );
        }
      }
      const started = Date.now();
      const { checkpointEvery: _every, callbacks, ...rest } = args;
      return model.fit(x, y, {
        ...rest,
        initialEpoch,
        callbacks: {
          ...callbacks,
          onEpochEnd: async (epoch: number, logs?: Record<string, number>) => {
            const done = epoch + 1;
            for (const [k, v] of Object.entries(logs ?? {})) if (Number.isFinite(v)) queueMetric(k, v, epoch);
            const perEpoch = (Date.now() - started) / (done - initialEpoch);
            const progress = { epoch: done, epochs: args.epochs, etaMs: Math.round(perEpoch * (args.epochs - done)), logs };
            if (trainingId) {
              await call(`/api/kernel/trainings/${trainingId}/progress`, progress);
              if (done % every === 0 || done === args.epochs)
                await call(`/api/kernel/trainings/${trainingId}/checkpoint`, await checkpointOf(model, done));
            }
            console.log(`epoch ${done}/${args.epochs}${logs?.loss !== undefined ? ` loss ${logs.loss.toFixed(4)}` : ''}`);
            await callbacks?.onEpochEnd?.(epoch, logs);
          },
        },
      });
    },
    async flush() {
      await flush();
    },
  };
}

/** The inputs' profile, and the profile of the model's outputs on them: the references for input and prediction drift. */
function referenceProfileOf(tf: TfLike, model: LayersModelLike, trainingData: number[][], featureNames?: string[]) {
  const inputs = profileRows(trainingData, featureNames);
  const x = tf.tensor2d(trainingData);
  const y = model.predict(x) as { arraySync(): number[][]; dispose(): void };
  const outputs = y.arraySync();
  x.dispose();
  y.dispose();
  const width = outputs[0]?.length ?? 0;
  return {
    ...inputs,
    predictions: profileRows(
      outputs,
      Array.from({ length: width }, (_, j) => `output_${j}`),
    ).features,
  };
}

function float32Of(base64: string): Float32Array {
  const buf = Buffer.from(base64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

const encoded = (name: string, t: { shape: number[]; dataSync(): ArrayLike<number> }) => ({
  name,
  shape: t.shape,
  dataBase64: Buffer.from(Float32Array.from(t.dataSync()).buffer).toString('base64'),
});

/** Weights and the optimizer's state after `epoch` epochs: what a resumed attempt needs to continue, not restart. */
async function checkpointOf(model: LayersModelLike, epoch: number): Promise<TrainingCheckpoint> {
  const optimizer = model.optimizer?.getWeights ? await model.optimizer.getWeights() : [];
  return {
    epoch,
    weights: model.getWeights().map((w, i) => encoded(model.weights[i]?.name ?? `w${i}`, w)),
    optimizer: optimizer.map((w) => encoded(w.name, w.tensor)),
  };
}

/**
 * Called when a cell ends: its metrics are flushed; a failed cell fails the active run (and ends it),
 * an interrupted one ends it as killed, and the last cell of a training or retraining ends it as finished.
 */
export async function settleRun(helpers: FerryHelpers, job: KernelJobInfo, outcome: 'ok' | 'error' | 'interrupted'): Promise<void> {
  await helpers.flush();
  if (outcome === 'error') await endRun(job, 'failed');
  else if (outcome === 'interrupted') await endRun(job, 'killed');
  else if (job.endsRun) await endRun(job, 'finished');
}
