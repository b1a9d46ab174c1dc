import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describeTfjsModel } from '../describe-tfjs-model';
import { exportToOnnx } from '../export-to-onnx';
import { readOnnxSignature } from '../onnx-signature';

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

/** The inputDim of an Embedding reading model input `index`, if one does. */
function embeddingInputDim(model: tf.LayersModel, index: number): number | undefined {
  const input = model.inputs[index]!;
  const reader = model.layers.find(
    (l) => l.getClassName() === 'Embedding' && l.inboundNodes.some((n) => n.inputTensors.some((t) => t.id === input.id)),
  );
  return reader ? Number(reader.getConfig().inputDim) : undefined;
}

interface OnnxOutput {
  data: Float32Array;
  dims: readonly number[];
}

/** Runs the model on one tensor per graph input (in graph order); gives the outputs in graph order. */
export async function runOnnxAll(runtime: Runtime, bytes: Uint8Array, inputs: tf.Tensor[]): Promise<OnnxOutput[]> {
  const ort = runtime === 'node' ? ortNode : ortWeb;
  if (runtime === 'web') ortWeb.env.wasm.numThreads = 1;
  const session =
    runtime === 'node' ? await ortNode.InferenceSession.create(Buffer.from(bytes)) : await ortWeb.InferenceSession.create(bytes);
  try {
    const feeds = Object.fromEntries(
      session.inputNames.map((name, i) => {
        const x = inputs[i]!;
        const data = x.dtype === 'int32' ? Int32Array.from(x.dataSync()) : Float32Array.from(x.dataSync());
        return [name, new ort.Tensor(x.dtype === 'int32' ? 'int32' : 'float32', data, x.shape)];
      }),
    );
    const results = await session.run(feeds as never);
    return session.outputNames.map((name) => ({ data: results[name]!.data as Float32Array, dims: results[name]!.dims }));
  } finally {
    await session.release();
  }
}

export async function runOnnx(runtime: Runtime, bytes: Uint8Array, input: tf.Tensor): Promise<OnnxOutput> {
  return (await runOnnxAll(runtime, bytes, [input]))[0]!;
}

/** Largest |onnx − tfjs| over all outputs for a batch; throws when an output's shape differs. */
export async function maxAbsDiff(
  model: tf.LayersModel,
  batch: number,
  runtime: Runtime = 'node',
  bytes = exportToOnnx(describeTfjsModel(model)),
): Promise<number> {
  const inputs = model.inputs.map((input, i) => {
    // Open axes (a null number of steps) get a size of 4.
    const shape = [batch, ...input.shape.slice(1).map((d) => d ?? 4)];
    return randomInput(shape, embeddingInputDim(model, i));
  });
  const predicted = model.predict(inputs.length === 1 ? inputs[0]! : inputs);
  const expected = Array.isArray(predicted) ? predicted : [predicted];
  const got = await runOnnxAll(runtime, bytes, inputs);
  // onnxruntime-node does not check the declared output shapes against what it computes: check them here.
  const declared = readOnnxSignature(bytes).outputs;
  expected.forEach((want, o) => {
    const dims = declared[o]?.shape ?? [];
    if (dims.length !== want.rank || dims.some((d, i) => typeof d === 'number' && d !== want.shape[i]))
      throw new Error(`output ${o} is declared [${dims.join(', ')}] but tfjs gives [${want.shape.join(', ')}]`);
  });
  if (got.length !== expected.length) throw new Error(`onnx has ${got.length} outputs but tfjs ${expected.length}`);
  let worst = 0;
  expected.forEach((want, o) => {
    const out = got[o]!;
    if (out.dims.join(',') !== want.shape.join(','))
      throw new Error(`onnx output ${o} is [${out.dims.join(', ')}] but tfjs [${want.shape.join(', ')}]`);
    const values = want.dataSync();
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(out.data[i]! - values[i]!));
    // NaN from either side must fail, not compare false.
    if (Number.isNaN(worst) || out.data.some(Number.isNaN)) worst = Infinity;
  });
  tf.dispose([...inputs, ...expected]);
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
