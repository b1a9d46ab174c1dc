import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeTfjsModel } from './describe-tfjs-model';
import { exportToOnnx } from './export-to-onnx';
import { UnsupportedLayerError, type LayerConfig } from './layers-model-description';
import { readOnnxSignature } from './onnx-signature';
import { assertParity, randomInput, runOnnx, TOLERANCE } from './testing/parity';

// SimpleRNN, LSTM, GRU (ONNX RNN/LSTM/GRU ops, gates reordered), Bidirectional and TimeDistributed(Dense).

before(async () => {
  await tf.setBackend('cpu');
});

const seq = (...layers: tf.layers.Layer[]) => tf.sequential({ layers });
const RNNS = { simpleRNN: tf.layers.simpleRNN, lstm: tf.layers.lstm, gru: tf.layers.gru } as const;

describe('recurrent layers', () => {
  for (const [kind, make] of Object.entries(RNNS))
    for (const returnSequences of [false, true])
      for (const goBackwards of [false, true])
        test(`${kind}, returnSequences ${returnSequences}, goBackwards ${goBackwards}`, async () => {
          await assertParity(seq(make({ inputShape: [5, 3], units: 4, returnSequences, goBackwards })));
        });

  test('non-default activations, no bias, stacked, then Dense', async () => {
    await assertParity(
      seq(
        tf.layers.lstm({ inputShape: [6, 2], units: 3, returnSequences: true, activation: 'relu', recurrentActivation: 'sigmoid' }),
        tf.layers.gru({ units: 3, useBias: false, recurrentActivation: 'sigmoid', returnSequences: true }),
        tf.layers.simpleRNN({ units: 2, activation: 'relu' }),
        tf.layers.dense({ units: 2 }),
      ),
    );
  });

  test('an open number of steps', async () => {
    const model = seq(tf.layers.lstm({ inputShape: [null, 3], units: 2, returnSequences: true }));
    await assertParity(model, ['node']);
    const sig = readOnnxSignature(exportToOnnx(describeTfjsModel(model)));
    assert.deepEqual(sig.inputs, [{ name: 'input', dtype: 'float', shape: ['batch', 'seq', 3] }]);
    assert.deepEqual(sig.outputs, [{ name: 'output', dtype: 'float', shape: ['batch', 'seq', 2] }]);
  });

  test('Keras GRU reset_after (tfjs cannot build it): ONNX linear_before_reset, checked against the Keras equations', async () => {
    const units = 3;
    const model = seq(tf.layers.gru({ inputShape: [4, 2], units, recurrentActivation: 'sigmoid' }));
    const desc = describeTfjsModel(model);
    const layers = (desc.topology as { config: { layers: LayerConfig[] } }).config.layers;
    layers[layers.length - 1]!.config.reset_after = true;
    const bias = tf.randomUniform([2, 3 * units], -1, 1, 'float32', 7);
    desc.weights = desc.weights.map((w) =>
      w.name.endsWith('/bias') ? { ...w, shape: [2, 3 * units], data: Float32Array.from(bias.dataSync()) } : w,
    );
    const [kernel, recurrent] = model.getWeights();
    const x = randomInput([2, 4, 2]);
    // Keras: the recurrent bias is added inside, so the reset gate scales (h·U_h + b_h).
    let h = tf.zeros([2, units]);
    for (let t = 0; t < 4; t++) {
      const xt = tf.squeeze(tf.slice(x, [0, t, 0], [2, 1, 2]), [1]);
      const [xz, xr, xh] = tf.split(tf.add(tf.matMul(xt, kernel!), tf.slice(bias, [0, 0], [1, -1])), 3, 1);
      const [hz, hr, hh] = tf.split(tf.add(tf.matMul(h, recurrent!), tf.slice(bias, [1, 0], [1, -1])), 3, 1);
      const z = tf.sigmoid(tf.add(xz!, hz!));
      const r = tf.sigmoid(tf.add(xr!, hr!));
      const candidate = tf.tanh(tf.add(xh!, tf.mul(r, hh!)));
      h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
    }
    const want = h.dataSync();
    for (const runtime of ['node', 'web'] as const) {
      const got = await runOnnx(runtime, exportToOnnx(desc), x);
      assert.ok(Math.max(...Array.from(want, (w, i) => Math.abs(w - got.data[i]!))) <= TOLERANCE, runtime);
    }
  });

  test('stateful is refused with the layer and option named', () => {
    const model = tf.sequential({ layers: [tf.layers.lstm({ batchInputShape: [2, 5, 3], units: 2, stateful: true, name: 'lstm_1' })] });
    assert.throws(
      () => exportToOnnx(describeTfjsModel(model)),
      (e: unknown) => e instanceof UnsupportedLayerError && /layer "lstm_1" \(LSTM\).*stateful=true is not supported/.test(e.message),
    );
  });
});

describe('wrappers', () => {
  for (const mergeMode of ['concat', 'sum', 'mul', 'ave'] as const)
    for (const returnSequences of [false, true])
      test(`Bidirectional(LSTM), mergeMode ${mergeMode}, returnSequences ${returnSequences}`, async () => {
        const layer = tf.layers.lstm({ units: 3, returnSequences }) as unknown as tf.RNN;
        await assertParity(seq(tf.layers.bidirectional({ inputShape: [5, 2], layer, mergeMode })));
      });

  test('Bidirectional GRU and SimpleRNN on onnxruntime-web', async () => {
    for (const make of [tf.layers.gru, tf.layers.simpleRNN]) {
      const layer = make({ units: 2, returnSequences: true }) as unknown as tf.RNN;
      await assertParity(seq(tf.layers.bidirectional({ inputShape: [4, 3], layer })));
    }
  });

  test('TimeDistributed(Dense) after an LSTM sequence', async () => {
    await assertParity(
      seq(
        tf.layers.lstm({ inputShape: [5, 3], units: 4, returnSequences: true }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2, activation: 'softmax' }) }),
      ),
    );
  });
});

describe('refused wrappers', () => {
  test('TimeDistributed of anything but Dense, Bidirectional without a merge mode', () => {
    const conv = tf.layers.conv2d({ filters: 1, kernelSize: 1 });
    const td = seq(tf.layers.timeDistributed({ inputShape: [2, 3, 3, 1], layer: conv, name: 'td' }));
    assert.throws(() => exportToOnnx(describeTfjsModel(td)), /layer "td" \(TimeDistributed\).*wrapping Conv2D/);
    const layer = tf.layers.lstm({ units: 2 }) as unknown as tf.RNN;
    const desc = describeTfjsModel(seq(tf.layers.bidirectional({ inputShape: [3, 2], layer, name: 'bi' })));
    (desc.topology as { config: { layers: LayerConfig[] } }).config.layers[0]!.config.merge_mode = null;
    assert.throws(() => exportToOnnx(desc), /layer "bi" \(Bidirectional\).*merge_mode=null/);
  });
});
