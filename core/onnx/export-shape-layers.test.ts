import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeTfjsModel } from './describe-tfjs-model';
import { exportToOnnx } from './export-to-onnx';
import { onnx } from './onnx-proto';
import { readOnnxSignature } from './onnx-signature';
import type { LayerConfig } from './layers-model-description';
import { assertParity, randomInput, randomizeWeights, runOnnx, TOLERANCE } from './testing/parity';

// Shape, padding, pooling, 1-D/depthwise/separable/transposed convolution, layer norm and embedding layers.

before(async () => {
  await tf.setBackend('cpu');
});

const seq = (...layers: tf.layers.Layer[]) => tf.sequential({ layers });
const conv = (inputShape: number[]) => tf.layers.conv2d({ inputShape, filters: 3, kernelSize: 2 });

describe('reshaping layers', () => {
  test('Reshape (with -1), Permute, Flatten of a rank-4 tensor, RepeatVector', async () => {
    await assertParity(seq(tf.layers.dense({ inputShape: [12], units: 12 }), tf.layers.reshape({ targetShape: [3, -1] })));
    await assertParity(
      seq(tf.layers.dense({ inputShape: [4, 5], units: 3 }), tf.layers.permute({ dims: [2, 1] }), tf.layers.dense({ units: 2 })),
    );
    await assertParity(
      seq(tf.layers.reshape({ inputShape: [24], targetShape: [2, 3, 4] }), tf.layers.permute({ dims: [3, 1, 2] }), tf.layers.flatten()),
    );
    await assertParity(
      seq(tf.layers.dense({ inputShape: [4], units: 3 }), tf.layers.repeatVector({ n: 5 }), tf.layers.dense({ units: 2 })),
    );
  });

  test('Reshape and Flatten after a convolution count in NHWC order', async () => {
    await assertParity(
      seq(conv([5, 5, 2]), tf.layers.reshape({ targetShape: [16, 3] }), tf.layers.flatten(), tf.layers.dense({ units: 2 })),
    );
  });
});

describe('inference-time identities', () => {
  test('SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout add no ops', async () => {
    const model = seq(
      tf.layers.dense({ inputShape: [4, 3], units: 3 }),
      tf.layers.spatialDropout1d({ rate: 0.3 }),
      tf.layers.gaussianNoise({ stddev: 0.5 }),
      tf.layers.gaussianDropout({ rate: 0.2 }),
      tf.layers.alphaDropout({ rate: 0.2 }),
    );
    await assertParity(model);
    const ops = onnx.ModelProto.decode(exportToOnnx(describeTfjsModel(model))).graph!.node!.map((n) => n.opType);
    assert.deepEqual(ops, ['MatMul', 'Add']);
  });

  test('a channels-first Flatten is refused', () => {
    const model = seq(tf.layers.flatten({ inputShape: [2, 3, 4], dataFormat: 'channelsFirst', name: 'flat' }));
    assert.throws(() => exportToOnnx(describeTfjsModel(model)), /layer "flat" \(Flatten\).*data_format/);
  });
});

describe('padding, cropping, upsampling', () => {
  test('ZeroPadding2D, Cropping2D and UpSampling2D between convolutions', async () => {
    await assertParity(
      seq(
        conv([6, 7, 2]),
        tf.layers.zeroPadding2d({
          padding: [
            [1, 2],
            [0, 3],
          ],
        }),
        tf.layers.conv2d({ filters: 2, kernelSize: 1 }),
        tf.layers.cropping2D({
          cropping: [
            [1, 0],
            [2, 1],
          ],
        }),
        tf.layers.upSampling2d({ size: [2, 3] }),
        tf.layers.conv2d({ filters: 2, kernelSize: 2 }),
      ),
    );
  });

  test('on a channels-last input, with symmetric sizes', async () => {
    await assertParity(
      seq(
        tf.layers.zeroPadding2d({ inputShape: [3, 4, 2], padding: 2 }),
        tf.layers.cropping2D({ cropping: 1 }),
        tf.layers.upSampling2d({}),
      ),
    );
  });
});

describe('global pooling', () => {
  test('GlobalAverage/MaxPooling2D after a conv and on the input', async () => {
    await assertParity(seq(conv([5, 6, 2]), tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 2 })));
    await assertParity(seq(conv([5, 6, 2]), tf.layers.globalMaxPooling2d({})));
    await assertParity(seq(tf.layers.globalMaxPooling2d({ inputShape: [4, 3, 2] })));
  });

  test('GlobalAverage/MaxPooling1D', async () => {
    await assertParity(seq(tf.layers.dense({ inputShape: [6, 3], units: 4 }), tf.layers.globalAveragePooling1d({})));
    await assertParity(seq(tf.layers.dense({ inputShape: [6, 3], units: 4 }), tf.layers.globalMaxPooling1d({})));
  });
});

describe('Conv1D and 1-D pooling', () => {
  for (const padding of ['valid', 'same'] as const)
    for (const [strides, dilationRate] of [
      [1, 1],
      [2, 1],
      [1, 2],
    ] as const)
      test(`Conv1D padding ${padding}, strides ${strides}, dilation ${dilationRate}`, async () => {
        if (strides > 1 && dilationRate > 1) return;
        await assertParity(
          seq(tf.layers.conv1d({ inputShape: [9, 3], filters: 4, kernelSize: 3, strides, dilationRate, padding, activation: 'relu' })),
        );
      });

  // tfjs cannot run causal padding, but Keras configs use it: the reference is a valid conv of the left-padded input.
  for (const dilationRate of [1, 2])
    test(`Conv1D causal padding, dilation ${dilationRate}`, async () => {
      const model = seq(tf.layers.conv1d({ inputShape: [null, 3], filters: 4, kernelSize: 3, dilationRate }));
      randomizeWeights(model);
      const desc = describeTfjsModel(model);
      const layers = (desc.topology as { config: { layers: LayerConfig[] } }).config.layers;
      layers[layers.length - 1]!.config.padding = 'causal';
      const x = randomInput([2, 9, 3]);
      const want = (
        model.predict(
          tf.pad(x, [
            [0, 0],
            [2 * dilationRate, 0],
            [0, 0],
          ]),
        ) as tf.Tensor
      ).dataSync();
      for (const runtime of ['node', 'web'] as const) {
        const got = await runOnnx(runtime, exportToOnnx(desc), x);
        assert.deepEqual(got.dims, [2, 9, 4]);
        const worst = Math.max(...Array.from(want, (w, i) => Math.abs(w - got.data[i]!)));
        assert.ok(worst <= TOLERANCE, `${runtime}: max abs diff ${worst}`);
      }
    });

  test('Conv1D without bias, then Max/AveragePooling1D', async () => {
    await assertParity(
      seq(
        tf.layers.conv1d({ inputShape: [11, 2], filters: 3, kernelSize: 2, useBias: false }),
        tf.layers.maxPooling1d({ poolSize: 2 }),
        tf.layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
      ),
    );
  });
});

describe('depthwise, separable and transposed convolutions', () => {
  test('DepthwiseConv2D with a depth multiplier, same padding, strides', async () => {
    await assertParity(
      seq(tf.layers.depthwiseConv2d({ inputShape: [7, 6, 3], kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2 })),
    );
    await assertParity(
      seq(
        tf.layers.depthwiseConv2d({ inputShape: [5, 5, 2], kernelSize: [2, 3], useBias: false, activation: 'relu' }),
        tf.layers.flatten(),
      ),
    );
  });

  test('SeparableConv2D', async () => {
    await assertParity(
      seq(tf.layers.separableConv2d({ inputShape: [7, 6, 3], filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same' })),
    );
    await assertParity(seq(tf.layers.separableConv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 2, strides: 2, useBias: false })));
  });

  for (const padding of ['valid', 'same'] as const)
    for (const [kernelSize, strides] of [
      [3, 2],
      [2, 2],
      [1, 2],
      [3, 1],
    ] as const)
      test(`Conv2DTranspose padding ${padding}, kernel ${kernelSize}, strides ${strides}`, async () => {
        await assertParity(seq(tf.layers.conv2dTranspose({ inputShape: [4, 5, 2], filters: 3, kernelSize, strides, padding })));
      });
});

describe('LayerNormalization', () => {
  test('last axis, epsilon, with and without center and scale', async () => {
    await assertParity(seq(tf.layers.dense({ inputShape: [6], units: 5 }), tf.layers.layerNormalization({ epsilon: 1e-2 })));
    await assertParity(
      seq(tf.layers.dense({ inputShape: [3, 6], units: 5 }), tf.layers.layerNormalization({ center: false, scale: false })),
    );
    await assertParity(seq(conv([4, 4, 2]), tf.layers.layerNormalization({ center: false })));
  });
});

describe('Embedding', () => {
  test('int32 indices are gathered; the graph input is int32', async () => {
    const model = seq(
      tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 3 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    );
    await assertParity(model);
    assert.deepEqual(readOnnxSignature(exportToOnnx(describeTfjsModel(model))).inputs, [
      { name: 'input', dtype: 'int32', shape: ['batch', 3] },
    ]);
  });

  test('mask_zero is refused', () => {
    const model = seq(
      tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 3, maskZero: true, name: 'emb' }),
      tf.layers.flatten(),
    );
    assert.throws(() => exportToOnnx(describeTfjsModel(model)), /layer "emb" \(Embedding\).*mask_zero=true/);
  });
});

describe('refused options', () => {
  const refuses = (model: tf.LayersModel, pattern: RegExp) => assert.throws(() => exportToOnnx(describeTfjsModel(model)), pattern);

  test('bilinear upsampling, a dilated transposed conv, global pooling with keepdims', () => {
    refuses(
      seq(tf.layers.upSampling2d({ inputShape: [3, 3, 1], interpolation: 'bilinear', name: 'up' })),
      /layer "up" \(UpSampling2D\).*interpolation=bilinear is not supported/,
    );
    // tfjs drops a transposed conv's dilation from its config (and ignores it); Keras configs carry it.
    const deconv = describeTfjsModel(seq(tf.layers.conv2dTranspose({ inputShape: [3, 3, 1], filters: 1, kernelSize: 2, name: 'deconv' })));
    (deconv.topology as { config: { layers: LayerConfig[] } }).config.layers[0]!.config.dilation_rate = [2, 2];
    assert.throws(() => exportToOnnx(deconv), /layer "deconv" \(Conv2DTranspose\).*dilation_rate/);
    const model = seq(tf.layers.globalAveragePooling2d({ inputShape: [3, 3, 1], name: 'gap' }));
    const desc = describeTfjsModel(model);
    (desc.topology as { config: { layers: LayerConfig[] } }).config.layers[0]!.config.keepdims = true;
    assert.throws(() => exportToOnnx(desc), /layer "gap" \(GlobalAveragePooling2D\).*keepdims=true/);
  });
});
