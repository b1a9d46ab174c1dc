import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeTfjsModel } from './describe-tfjs-model';
import { exportToOnnx } from './export-to-onnx';
import type { LayerConfig } from './layers-model-description';
import { assertParity, randomInput, runOnnx, TOLERANCE } from './testing/parity';

// Activation layers and the activations added after the first exporter, each against model.predict.

before(async () => {
  await tf.setBackend('cpu');
});

/** Options tfjs cannot build but Keras configs carry: patch them into the topology, compare with tf ops. */
async function assertAgainstReference(layer: tf.layers.Layer, extra: Record<string, unknown>, reference: (x: tf.Tensor) => tf.Tensor) {
  const desc = describeTfjsModel(tf.sequential({ layers: [layer] }));
  const layers = (desc.topology as { config: { layers: LayerConfig[] } }).config.layers;
  Object.assign(layers[layers.length - 1]!.config, extra);
  const bytes = exportToOnnx(desc);
  const x = randomInput([3, 7]);
  const want = reference(x).dataSync();
  for (const runtime of ['node', 'web'] as const) {
    const got = await runOnnx(runtime, bytes, x);
    const worst = Math.max(...Array.from(want, (w, i) => Math.abs(w - got.data[i]!)));
    assert.ok(worst <= TOLERANCE, `${runtime}: max abs diff ${worst}`);
  }
}

const dense = (inputShape: number[]) => tf.layers.dense({ inputShape, units: 6 });

describe('activation layers', () => {
  test('LeakyReLU with its default and a custom alpha', async () => {
    await assertParity(tf.sequential({ layers: [dense([5]), tf.layers.leakyReLU()] }));
    await assertParity(tf.sequential({ layers: [dense([5]), tf.layers.leakyReLU({ alpha: 0.07 })] }));
  });

  test('ELU, and a Keras alpha tfjs refuses to build (the reference is written out)', async () => {
    await assertParity(tf.sequential({ layers: [dense([5]), tf.layers.elu()] }));
    await assertAgainstReference(tf.layers.elu({ inputShape: [7] }), { alpha: 0.5 }, (x) =>
      tf.where(tf.greater(x, 0), x, tf.mul(tf.sub(tf.exp(x), 1), 0.5)),
    );
  });

  test('ReLU layer, plain and with maxValue', async () => {
    await assertParity(tf.sequential({ layers: [dense([5]), tf.layers.reLU()] }));
    await assertParity(tf.sequential({ layers: [dense([5]), tf.layers.reLU({ maxValue: 0.4 })] }));
  });

  test('ReLU with Keras negative_slope and threshold (tfjs ignores them, so the reference is written out)', async () => {
    await assertAgainstReference(tf.layers.reLU({ inputShape: [7], maxValue: 1.5 }), { negative_slope: 0.2, threshold: 0.5 }, (x) =>
      tf.minimum(tf.where(tf.greaterEqual(x, 0.5), x, tf.mul(tf.sub(x, 0.5), 0.2)), 1.5),
    );
  });

  test('Softmax layer: default axis, a middle axis, several axes, after a conv', async () => {
    await assertParity(tf.sequential({ layers: [dense([5]), tf.layers.softmax()] }));
    await assertParity(tf.sequential({ layers: [dense([4, 5]), tf.layers.softmax({ axis: -1 })] }));
    // tfjs's own softmax only reduces the last axis; several axes go through logSumExp.
    await assertParity(tf.sequential({ layers: [dense([4, 5]), tf.layers.softmax({ axis: [1, 2] as unknown as number })] }));
    await assertParity(
      tf.sequential({
        layers: [tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 2 }), tf.layers.softmax({ axis: 3 })],
      }),
    );
  });

  test('ThresholdedReLU with theta', async () => {
    await assertParity(tf.sequential({ layers: [dense([5]), tf.layers.thresholdedReLU({ theta: 0.3 })] }));
  });

  test('PReLU with a full alpha and with shared axes', async () => {
    await assertParity(tf.sequential({ layers: [dense([5]), tf.layers.prelu()] }));
    await assertParity(tf.sequential({ layers: [dense([4, 5]), tf.layers.prelu({ sharedAxes: [1] })] }));
    await assertParity(
      tf.sequential({
        layers: [tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 2 }), tf.layers.prelu({ sharedAxes: [1, 2] })],
      }),
    );
  });
});

describe('activations', () => {
  // logSoftmax is registered in tfjs but missing from its ActivationIdentifier type.
  for (const activation of ['gelu', 'gelu_new', 'logSoftmax'])
    test(`${activation}, as Dense activation and Activation layer`, async () => {
      await assertParity(tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 6, activation: activation as 'gelu' })] }));
      await assertParity(tf.sequential({ layers: [dense([3, 5]), tf.layers.activation({ activation: activation as 'gelu' })] }));
    });
});
