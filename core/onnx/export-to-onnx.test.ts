import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ortWeb from 'onnxruntime-web';
import { exportToOnnx, INPUT_NAME, OUTPUT_NAME } from './export-to-onnx';
import { UnsupportedLayerError, type LayersModelDescription } from './layers-model-description';
import { readOnnxSignature } from './onnx-signature';

function describeModel(model: tf.LayersModel): LayersModelDescription {
  return {
    topology: model.toJSON(null, false),
    weights: model.getWeights().map((w, i) => ({ name: model.weights[i]!.name, shape: w.shape, data: Float32Array.from(w.dataSync()) })),
  };
}

async function maxDiff(model: tf.LayersModel, rows: number[][]): Promise<number> {
  const bytes = exportToOnnx(describeModel(model));
  const session = await ortWeb.InferenceSession.create(bytes);
  const input = new ortWeb.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0]!.length]);
  const out = (await session.run({ [INPUT_NAME]: input }))[OUTPUT_NAME]!.data as Float32Array;
  const expected = (model.predict(tf.tensor2d(rows)) as tf.Tensor).dataSync();
  await session.release();
  assert.equal(out.length, expected.length);
  return Math.max(...Array.from(out, (v, i) => Math.abs(v - expected[i]!)));
}

const rows = (n: number, width: number) =>
  Array.from({ length: n }, (_, i) => Array.from({ length: width }, (_, j) => Math.sin(i * 7 + j * 3) * 2));

describe('tfjs → ONNX export, checked in onnxruntime-web', () => {
  before(async () => {
    ortWeb.env.wasm.numThreads = 1;
    await tf.setBackend('cpu');
  });

  for (const act of ['relu', 'sigmoid', 'tanh', 'softmax', 'linear'] as const) {
    test(`Dense with ${act}, batch 1 and 3`, async () => {
      const model = tf.sequential({
        layers: [tf.layers.dense({ inputShape: [5], units: 8, activation: 'relu' }), tf.layers.dense({ units: 3, activation: act })],
      });
      assert.ok((await maxDiff(model, rows(1, 5))) < 1e-4);
      assert.ok((await maxDiff(model, rows(3, 5))) < 1e-4);
    });
  }

  test('Dense without bias, Activation, Dropout, BatchNormalization', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [4], units: 6, useBias: false }),
        tf.layers.batchNormalization(),
        tf.layers.activation({ activation: 'tanh' }),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 2 }),
      ],
    });
    // Give batch norm non-trivial statistics.
    const bn = model.layers[1]!;
    bn.setWeights(bn.getWeights().map((w, i) => tf.randomUniform(w.shape, i === 3 ? 0.5 : -1, i === 3 ? 2 : 1)));
    assert.ok((await maxDiff(model, rows(3, 4))) < 1e-4);
  });

  test('signature names the dynamic batch and the feature width', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [7], units: 2 })] });
    const sig = readOnnxSignature(exportToOnnx(describeModel(model)));
    assert.deepEqual(sig.inputs, [{ name: 'input', dtype: 'float', shape: ['batch', 7] }]);
    assert.equal(sig.outputs[0]!.name, 'output');
    assert.equal(sig.opset, 13);
    assert.equal(sig.irVersion, 7);
  });

  test('an unsupported layer is named in the error', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [3], units: 4 }), tf.layers.reshape({ targetShape: [2, 2], name: 'my_reshape' })],
    });
    assert.throws(
      () => exportToOnnx(describeModel(model)),
      (e: unknown) => e instanceof UnsupportedLayerError && /my_reshape \(Reshape\)/.test(e.message),
    );
  });

  test('corrupt bytes are not a model', () => {
    assert.throws(() => readOnnxSignature(new Uint8Array([1, 2, 3, 250, 251])), /not an ONNX model/);
  });
});
