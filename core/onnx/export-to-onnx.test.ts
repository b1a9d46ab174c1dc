import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeTfjsModel } from './describe-tfjs-model';
import { exportToOnnx } from './export-to-onnx';
import { UnsupportedLayerError } from './layers-model-description';
import { onnx } from './onnx-proto';
import { maxAbsDiff, randomizeWeights, type Runtime } from './testing/parity';

const TOLERANCE = 1e-4;

async function assertParity(model: tf.LayersModel, runtime: Runtime = 'node') {
  randomizeWeights(model);
  for (const batch of [1, 3]) {
    const diff = await maxAbsDiff(model, batch, runtime);
    assert.ok(diff < TOLERANCE, `batch ${batch} on onnxruntime-${runtime}: max abs diff ${diff}`);
  }
}

const opTypes = (bytes: Uint8Array) => onnx.ModelProto.decode(bytes).graph!.node!.map((n) => n.opType);

before(async () => {
  await tf.setBackend('cpu');
});

describe('Dense and activations', () => {
  for (const act of ['relu', 'sigmoid', 'tanh', 'softmax', 'linear'] as const) {
    test(`Dense + ${act}, onnxruntime-web and onnxruntime-node`, async () => {
      const model = tf.sequential({
        layers: [tf.layers.dense({ inputShape: [5], units: 8, activation: 'relu' }), tf.layers.dense({ units: 3, activation: act })],
      });
      await assertParity(model, 'web');
      await assertParity(model, 'node');
    });
  }

  test('Dense without bias becomes a MatMul', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, useBias: false })] });
    assert.deepEqual(opTypes(exportToOnnx(describeTfjsModel(model))), ['MatMul']);
    await assertParity(model);
  });

  test('Dense on a rank-3 input acts on the last axis', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4, 5], units: 3, activation: 'softmax' }), tf.layers.dense({ units: 2, useBias: false })],
    });
    await assertParity(model);
  });

  test('the other tfjs activations, as Activation layers', async () => {
    const acts = ['relu6', 'elu', 'selu', 'softplus', 'softsign', 'hardSigmoid', 'swish', 'mish'] as const;
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [6], units: 6 }), ...acts.map((activation) => tf.layers.activation({ activation }))],
    });
    // Each activation on its own, so one that is wrong cannot hide behind saturation of the next.
    for (const activation of acts) {
      const single = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 6 }), tf.layers.activation({ activation })] });
      await assertParity(single);
    }
    await assertParity(model);
  });
});

describe('Activation, Dropout, BatchNormalization, InputLayer', () => {
  test('Activation layer', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [4], units: 5 }),
        tf.layers.activation({ activation: 'tanh' }),
        tf.layers.activation({ activation: 'softmax' }),
      ],
    });
    await assertParity(model);
  });

  test('Dropout is the identity', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 5 }), tf.layers.dropout({ rate: 0.5 }), tf.layers.dense({ units: 2 })],
    });
    assert.ok(!opTypes(exportToOnnx(describeTfjsModel(model))).includes('Dropout'));
    await assertParity(model);
  });

  test('BatchNormalization with its moving statistics and epsilon', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [4], units: 6, useBias: false }),
        tf.layers.batchNormalization({ epsilon: 0.01 }),
        tf.layers.dense({ units: 2 }),
      ],
    });
    await assertParity(model);
  });

  test('BatchNormalization without scale and center, on a rank-3 input', async () => {
    const model = tf.sequential({ layers: [tf.layers.batchNormalization({ inputShape: [3, 4], scale: false, center: false })] });
    await assertParity(model);
  });

  test('an explicit InputLayer in a Sequential model', async () => {
    const model = tf.sequential({
      layers: [tf.layers.inputLayer({ inputShape: [3] }), tf.layers.dense({ units: 2, activation: 'sigmoid' })],
    });
    await assertParity(model, 'web');
  });

  test('a model of only an input and dropout is the identity', async () => {
    const model = tf.sequential({ layers: [tf.layers.dropout({ inputShape: [3], rate: 0.2 })] });
    await assertParity(model);
  });
});

describe('Functional models', () => {
  test('a linear chain exports like the Sequential model', async () => {
    const input = tf.input({ shape: [4] });
    const hidden = tf.layers.dense({ units: 6, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(hidden) as tf.SymbolicTensor;
    await assertParity(tf.model({ inputs: input, outputs: output }));
  });
});

describe('errors', () => {
  test('an unsupported layer is named in the error (Conv3D)', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv3d({ inputShape: [4, 4, 4, 1], filters: 2, kernelSize: 2, name: 'my_conv3d' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 1 }),
      ],
    });
    assert.throws(
      () => exportToOnnx(describeTfjsModel(model)),
      (e: unknown) =>
        e instanceof UnsupportedLayerError &&
        e.layerClass === 'Conv3D' &&
        e.layerName === 'my_conv3d' &&
        /"my_conv3d" \(Conv3D\)/.test(e.message),
    );
  });

  test('an unsupported layer after supported ones (Masking)', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [5, 3], units: 4 }), tf.layers.masking({ name: 'my_mask' }), tf.layers.lstm({ units: 2 })],
    });
    assert.throws(
      () => exportToOnnx(describeTfjsModel(model)),
      (e: unknown) => e instanceof UnsupportedLayerError && e.layerClass === 'Masking' && e.layerName === 'my_mask',
    );
  });

  test('weights that do not match the topology are refused', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    const desc = describeTfjsModel(model);
    assert.throws(() => exportToOnnx({ ...desc, weights: desc.weights.slice(1) }), /missing weight/);
    assert.throws(() => exportToOnnx({ ...desc, weights: [...desc.weights, desc.weights[0]!] }), /not used/);
    const kernel = desc.weights[0]!;
    assert.throws(() => exportToOnnx({ ...desc, weights: [{ ...kernel, shape: [2, 3] }, desc.weights[1]!] }), /shape/);
  });

  test('a topology string is accepted like the object', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    const desc = describeTfjsModel(model);
    assert.deepEqual(exportToOnnx({ ...desc, topology: JSON.stringify(desc.topology) }), exportToOnnx(desc));
  });
});
