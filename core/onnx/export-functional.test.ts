import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeTfjsModel } from './describe-tfjs-model';
import { exportToOnnx } from './export-to-onnx';
import { UnsupportedLayerError, type LayerConfig } from './layers-model-description';
import { onnx } from './onnx-proto';
import { readOnnxSignature } from './onnx-signature';
import { assertParity, randomInput, runOnnxAll, TOLERANCE } from './testing/parity';

// Functional models (tf.model) as ONNX graphs: merges, residual blocks, shared layers, several inputs and outputs.

before(async () => {
  await tf.setBackend('cpu');
});

type T = tf.SymbolicTensor;
const apply = (layer: tf.layers.Layer, x: T | T[]) => layer.apply(x) as T;

describe('merge layers', () => {
  for (const merge of ['add', 'multiply', 'average', 'maximum', 'minimum'] as const)
    test(`${merge} of two branches`, async () => {
      const input = tf.input({ shape: [4] });
      const a = apply(tf.layers.dense({ units: 3 }), input);
      const b = apply(tf.layers.dense({ units: 3, activation: 'tanh' }), input);
      const merged = apply(tf.layers[merge]({}), [a, b]);
      await assertParity(tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 2 }), merged) }));
    });

  test('add and maximum of three, concatenate on the last and a middle axis', async () => {
    const input = tf.input({ shape: [3, 4] });
    const branches = [0, 1, 2].map(() => apply(tf.layers.dense({ units: 2 }), input));
    const sum = apply(tf.layers.add({}), branches);
    const max = apply(tf.layers.maximum({}), branches);
    const last = apply(tf.layers.concatenate({ axis: -1 }), [sum, max, input]);
    const middle = apply(tf.layers.concatenate({ axis: 1 }), [sum, max]);
    await assertParity(tf.model({ inputs: input, outputs: [last, middle] }));
  });

  test('concatenate conv feature maps on the channel axis, kept channels-first', async () => {
    const input = tf.input({ shape: [6, 6, 2] });
    const a = apply(tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }), input);
    const b = apply(tf.layers.conv2d({ filters: 2, kernelSize: 1 }), input);
    const joined = apply(tf.layers.concatenate({}), [a, b]);
    const out = apply(tf.layers.conv2d({ filters: 2, kernelSize: 2 }), joined);
    const model = tf.model({ inputs: input, outputs: out });
    await assertParity(model);
    const ops = onnx.ModelProto.decode(exportToOnnx(describeTfjsModel(model))).graph!.node!.map((n) => n.opType);
    assert.equal(ops.filter((o) => o === 'Transpose').length, 2);
  });
});

describe('graphs', () => {
  test('a residual block of convolutions and batch norm', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const stem = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }), input);
    let x = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }), stem);
    x = apply(tf.layers.batchNormalization({}), x);
    x = apply(tf.layers.add({}), [x, stem]);
    x = apply(tf.layers.reLU({}), x);
    x = apply(tf.layers.globalAveragePooling2d({}), x);
    await assertParity(tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 3, activation: 'softmax' }), x) }));
  });

  test('a shared layer applied twice (the same weights each time)', async () => {
    const shared = tf.layers.dense({ units: 3, activation: 'relu' });
    const a = tf.input({ shape: [5], name: 'left' });
    const b = tf.input({ shape: [5], name: 'right' });
    const merged = apply(tf.layers.multiply({}), [apply(shared, a), apply(shared, b)]);
    const model = tf.model({ inputs: [a, b], outputs: merged });
    await assertParity(model);
  });

  test('Subtract (Keras; tfjs has no such layer, so an Add is relabelled and checked against a − b)', async () => {
    const a = tf.input({ shape: [3] });
    const b = tf.input({ shape: [3] });
    const model = tf.model({ inputs: [a, b], outputs: apply(tf.layers.add({ name: 'diff' }), [a, b]) });
    const desc = describeTfjsModel(model);
    const diff = (desc.topology as { config: { layers: LayerConfig[] } }).config.layers.find((l) => l.config.name === 'diff')!;
    diff.class_name = 'Subtract';
    const [x, y] = [randomInput([2, 3]), randomInput([2, 3])];
    const want = tf.sub(x, y).dataSync();
    for (const runtime of ['node', 'web'] as const) {
      const [got] = await runOnnxAll(runtime, exportToOnnx(desc), [x, y]);
      assert.ok(Math.max(...Array.from(want, (w, i) => Math.abs(w - got!.data[i]!))) <= TOLERANCE);
    }
  });

  test('several inputs and outputs keep their Keras names; an output can be an input', async () => {
    const tokens = tf.input({ shape: [4], name: 'tokens', dtype: 'int32' });
    const features = tf.input({ shape: [3], name: 'features' });
    const embedded = apply(tf.layers.flatten({}), apply(tf.layers.embedding({ inputDim: 7, outputDim: 2 }), tokens));
    const joined = apply(tf.layers.concatenate({}), [embedded, features]);
    const score = apply(tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'score' }), joined);
    const klass = apply(tf.layers.dense({ units: 3, activation: 'softmax', name: 'klass' }), joined);
    const model = tf.model({ inputs: [tokens, features], outputs: [score, klass, features] });
    await assertParity(model);
    const sig = readOnnxSignature(exportToOnnx(describeTfjsModel(model)));
    assert.deepEqual(sig.inputs, [
      { name: 'tokens', dtype: 'int32', shape: ['batch', 4] },
      { name: 'features', dtype: 'float', shape: ['batch', 3] },
    ]);
    assert.deepEqual(
      sig.outputs.map((o) => [o.name, o.shape]),
      [
        ['score', ['batch', 1]],
        ['klass', ['batch', 3]],
        ['features_0', ['batch', 3]],
      ],
    );
  });

  test('a recurrent encoder feeding two heads', async () => {
    const input = tf.input({ shape: [5, 3] });
    const seq = apply(tf.layers.lstm({ units: 4, returnSequences: true }), input);
    const last = apply(tf.layers.gru({ units: 3 }), seq);
    const pooled = apply(tf.layers.globalAveragePooling1d({}), seq);
    await assertParity(tf.model({ inputs: input, outputs: [last, pooled] }), ['node']);
  });

  test('an int32 input that also feeds a float layer is refused', () => {
    const tokens = tf.input({ shape: [4], name: 'tokens', dtype: 'int32' });
    const embedded = apply(tf.layers.flatten({}), apply(tf.layers.embedding({ inputDim: 7, outputDim: 2 }), tokens));
    const raw = apply(tf.layers.dense({ units: 8, name: 'raw' }), tokens);
    const model = tf.model({ inputs: tokens, outputs: apply(tf.layers.add({}), [embedded, raw]) });
    assert.throws(() => exportToOnnx(describeTfjsModel(model)), /layer "raw" \(Dense\).*int32 input/);
  });

  test('an unsupported layer anywhere in the graph is named before anything is built', () => {
    const input = tf.input({ shape: [4, 4, 4, 1] });
    const conv = apply(tf.layers.conv3d({ filters: 1, kernelSize: 2, name: 'vol' }), input);
    assert.throws(
      () => exportToOnnx(describeTfjsModel(tf.model({ inputs: input, outputs: conv }))),
      (e: unknown) => e instanceof UnsupportedLayerError && e.layerName === 'vol' && e.layerClass === 'Conv3D',
    );
  });
});
