import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describeTfjsModel } from '../describe-tfjs-model';
import { exportToOnnx, INPUT_NAME, OUTPUT_NAME } from '../export-to-onnx';

// Test support: export a real tfjs model, run the bytes in onnxruntime and measure the largest
// difference from model.predict on the same input.

export type Runtime = 'node' | 'web';

let seed = 1;
/** Replaces every weight with seeded random values, so zero biases and unit BN statistics do not hide bugs. */
export function randomizeWeights(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    const values = layer.getWeights();
    if (values.length === 0) continue;
    layer.setWeights(
      layer.weights.map((w, i) =>
        w.name.endsWith('moving_variance') || w.name.includes('moving_variance_')
          ? tf.randomUniform(values[i]!.shape, 0.3, 2, 'float32', seed++)
          : tf.randomUniform(values[i]!.shape, -1, 1, 'float32', seed++),
      ),
    );
  }
}

/** Random values in [-2, 2), or, for models starting with an Embedding, int32 indices below its inputDim. */
export function randomInput(shape: number[], indicesBelow?: number): tf.Tensor {
  if (indicesBelow != null) return tf.randomUniform(shape, 0, indicesBelow, 'int32', seed++);
  return tf.randomUniform(shape, -2, 2, 'float32', seed++);
}

function embeddingInputDim(model: tf.LayersModel): number | undefined {
  const first = model.layers.find((l) => l.getClassName() !== 'InputLayer');
  return first?.getClassName() === 'Embedding' ? Number(first.getConfig().inputDim) : undefined;
}

export async function runOnnx(
  runtime: Runtime,
  bytes: Uint8Array,
  input: tf.Tensor,
): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const data = input.dtype === 'int32' ? Int32Array.from(input.dataSync()) : Float32Array.from(input.dataSync());
  const type = input.dtype === 'int32' ? 'int32' : 'float32';
  if (runtime === 'node') {
    const session = await ortNode.InferenceSession.create(Buffer.from(bytes));
    try {
      const out = (await session.run({ [INPUT_NAME]: new ortNode.Tensor(type, data, input.shape) }))[OUTPUT_NAME]!;
      return { data: out.data as Float32Array, dims: out.dims };
    } finally {
      await session.release();
    }
  }
  ortWeb.env.wasm.numThreads = 1;
  const session = await ortWeb.InferenceSession.create(bytes);
  try {
    const out = (await session.run({ [INPUT_NAME]: new ortWeb.Tensor(type, data, input.shape) }))[OUTPUT_NAME]!;
    return { data: out.data as Float32Array, dims: out.dims };
  } finally {
    await session.release();
  }
}

/** Largest |onnx − tfjs| over the outputs for a batch; throws when the output shapes differ. */
export async function maxAbsDiff(
  model: tf.LayersModel,
  batch: number,
  runtime: Runtime = 'node',
  bytes = exportToOnnx(describeTfjsModel(model)),
): Promise<number> {
  // Open axes (a null number of steps) get a size of 4.
  const featureShape = model.inputs[0]!.shape.slice(1).map((d) => d ?? 4);
  const input = randomInput([batch, ...featureShape], embeddingInputDim(model));
  const expected = model.predict(input) as tf.Tensor;
  const got = await runOnnx(runtime, bytes, input);
  if (got.dims.join(',') !== expected.shape.join(','))
    throw new Error(`onnx output [${got.dims.join(', ')}] but tfjs [${expected.shape.join(', ')}]`);
  const want = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got.data[i]! - want[i]!));
  // NaN from either side must fail, not compare false.
  if (Number.isNaN(worst) || got.data.some(Number.isNaN)) return Infinity;
  tf.dispose([input, expected]);
  return worst;
}

export const TOLERANCE = 1e-4;

/** Randomizes the weights, then checks batches of 1 and 3 on each runtime against model.predict. */
export async function assertParity(model: tf.LayersModel, runtimes: Runtime[] = ['node', 'web']): Promise<void> {
  randomizeWeights(model);
  const bytes = exportToOnnx(describeTfjsModel(model));
  for (const runtime of runtimes)
    for (const batch of [1, 3]) {
      const diff = await maxAbsDiff(model, batch, runtime, bytes);
      assert.ok(diff <= TOLERANCE, `batch ${batch} on onnxruntime-${runtime}: max abs diff ${diff}`);
    }
}
