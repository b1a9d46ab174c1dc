import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeTfjsModel } from './describe-tfjs-model';
import { exportToOnnx } from './export-to-onnx';
import { onnx } from './onnx-proto';
import { readOnnxSignature } from './onnx-signature';
import { maxAbsDiff, randomizeWeights, type Runtime } from './testing/parity';

// Image layers: tfjs is NHWC, ONNX's Conv and pooling are NCHW, so these also check the transposes.

const TOLERANCE = 1e-4;

async function assertParity(model: tf.LayersModel, runtime: Runtime = 'node') {
  randomizeWeights(model);
  for (const batch of [1, 3]) {
    const diff = await maxAbsDiff(model, batch, runtime);
    assert.ok(diff < TOLERANCE, `batch ${batch} on onnxruntime-${runtime}: max abs diff ${diff}`);
  }
}

before(async () => {
  await tf.setBackend('cpu');
});

describe('Conv2D', () => {
  for (const padding of ['valid', 'same'] as const)
    for (const strides of [1, 2, [2, 1]] as const)
      test(`padding ${padding}, strides ${JSON.stringify(strides)}, odd sizes`, async () => {
        const model = tf.sequential({
          layers: [
            tf.layers.conv2d({
              inputShape: [7, 6, 3],
              filters: 4,
              kernelSize: [3, 2],
              strides: strides as number | [number, number],
              padding,
              activation: 'relu',
            }),
            tf.layers.flatten(),
            tf.layers.dense({ units: 3 }),
          ],
        });
        await assertParity(model);
      });

  test('dilation, no bias, two convolutions in a row ending in an image output', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', useBias: false }),
        tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'tanh' }),
      ],
    });
    await assertParity(model);
  });

  test('softmax over the channels of an image output', async () => {
    const model = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [5, 4, 2], filters: 3, kernelSize: 2, activation: 'softmax' })],
    });
    await assertParity(model);
  });

  test('a small CNN in onnxruntime-web', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [10, 10, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.batchNormalization(),
        tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.averagePooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.25 }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    await assertParity(model, 'web');
  });

  test('only one transpose into and one out of channels-first for a conv stack', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3 }),
        tf.layers.conv2d({ filters: 2, kernelSize: 3 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 1 }),
      ],
    });
    const ops = onnx.ModelProto.decode(exportToOnnx(describeTfjsModel(model))).graph!.node!.map((n) => n.opType);
    assert.deepEqual(ops, ['Transpose', 'Conv', 'Conv', 'Transpose', 'Flatten', 'Gemm']);
  });
});

describe('pooling', () => {
  for (const layer of ['maxPooling2d', 'averagePooling2d'] as const)
    for (const padding of ['valid', 'same'] as const)
      test(`${layer}, padding ${padding}, pool 3 stride 2 on odd sizes`, async () => {
        const model = tf.sequential({
          layers: [
            tf.layers[layer]({ inputShape: [7, 8, 2], poolSize: 3, strides: 2, padding }),
            tf.layers.flatten(),
            tf.layers.dense({ units: 2 }),
          ],
        });
        await assertParity(model);
      });

  test('pooling with a default stride and no following flatten', async () => {
    const model = tf.sequential({ layers: [tf.layers.maxPooling2d({ inputShape: [6, 6, 3], poolSize: [2, 3] })] });
    await assertParity(model);
  });
});

describe('BatchNormalization on images', () => {
  test('normalizes the channel axis', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.batchNormalization({ inputShape: [4, 5, 3] }),
        tf.layers.conv2d({ filters: 2, kernelSize: 2 }),
        tf.layers.batchNormalization(),
        tf.layers.flatten(),
      ],
    });
    await assertParity(model);
  });
});

describe('Flatten', () => {
  test('flattens an NHWC image in tfjs order', async () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [3, 4, 2] }), tf.layers.dense({ units: 5 })] });
    await assertParity(model);
  });

  test('flattens after a convolution in tfjs order', async () => {
    // Identity-like conv (1×1 kernel) so a wrong flatten order shows up as permuted outputs.
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [2, 3, 2], filters: 2, kernelSize: 1 }), tf.layers.flatten()] });
    await assertParity(model);
  });
});

describe('readOnnxSignature', () => {
  test('an image model: NHWC input and the flattened output, dynamic batch', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, strides: 2, padding: 'same' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10 }),
      ],
    });
    const sig = readOnnxSignature(exportToOnnx(describeTfjsModel(model)));
    assert.deepEqual(sig, {
      inputs: [{ name: 'input', dtype: 'float', shape: ['batch', 8, 8, 3] }],
      outputs: [{ name: 'output', dtype: 'float', shape: ['batch', 10] }],
      opset: 13,
      irVersion: 7,
    });
  });

  test('a dense model and an image-output model', () => {
    const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [7], units: 2 })] });
    assert.deepEqual(readOnnxSignature(exportToOnnx(describeTfjsModel(dense))).inputs, [
      { name: 'input', dtype: 'float', shape: ['batch', 7] },
    ]);
    const image = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [7, 6, 1], filters: 2, kernelSize: 3, strides: 2 })] });
    assert.deepEqual(readOnnxSignature(exportToOnnx(describeTfjsModel(image))).outputs[0]!.shape, ['batch', 3, 2, 2]);
  });

  test('model name and producer version are written', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
    const decoded = onnx.ModelProto.decode(exportToOnnx(describeTfjsModel(model), { modelName: 'churn', producerVersion: '9.9.9' }));
    assert.equal(decoded.graph!.name, 'churn');
    assert.equal(decoded.producerVersion, '9.9.9');
    assert.equal(decoded.graph!.initializer![0]!.dataType, onnx.TensorProto.DataType.FLOAT);
    assert.ok((decoded.graph!.initializer![0]!.rawData?.length ?? 0) > 0);
  });

  test('corrupt bytes are not a model', () => {
    assert.throws(() => readOnnxSignature(new Uint8Array([1, 2, 3, 250, 251])), /not an ONNX model/);
  });
});
