import { intAttr, intsAttr, stringsAttr, type GraphBuilder, type TensorValue } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';
import type { WeightReader } from '../weight-reader';

// SimpleRNN, LSTM and GRU → ONNX RNN, LSTM and GRU (one direction each), plus the Bidirectional and
// TimeDistributed wrappers. ONNX's recurrent ops take [steps, batch, features]; tfjs's are batch-first.

export type RecurrentKind = 'SimpleRNN' | 'LSTM' | 'GRU';

/** For each ONNX gate block, the Keras block it comes from: Keras LSTM is i,f,c,o, ONNX i,o,f,c; GRU is z,r,h in both. */
const GATE_ORDER: Record<RecurrentKind, number[]> = { SimpleRNN: [0], LSTM: [0, 3, 1, 2], GRU: [0, 1, 2] };
const OP: Record<RecurrentKind, string> = { SimpleRNN: 'RNN', LSTM: 'LSTM', GRU: 'GRU' };

// tfjs activation → the ONNX recurrent-op activation name. HardSigmoid's ONNX defaults (0.2, 0.5) are tfjs's.
const ACTIVATIONS: Record<string, string> = {
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  hard_sigmoid: 'HardSigmoid',
  hardSigmoid: 'HardSigmoid',
  relu: 'Relu',
  softsign: 'Softsign',
  softplus: 'Softplus',
};

/** Keras [in, gates·units] → ONNX [1, gates·units, in] with the gate blocks in ONNX's order. */
function gateMajor(data: Float32Array, rows: number, units: number, order: number[]): Float32Array {
  const out = new Float32Array(data.length);
  const cols = order.length * units;
  order.forEach((keras, onnxGate) => {
    for (let j = 0; j < units; j++)
      for (let r = 0; r < rows; r++) out[(onnxGate * units + j) * rows + r] = data[r * cols + keras * units + j]!;
  });
  return out;
}

function reorderBias(data: Float32Array, units: number, order: number[]): Float32Array {
  const out = new Float32Array(order.length * units);
  order.forEach((keras, onnxGate) => out.set(data.subarray(keras * units, (keras + 1) * units), onnxGate * units));
  return out;
}

function activationName(layer: LayerConfig, key: string, fallback: string): string {
  const raw = layer.config[key] ?? fallback;
  const name = ACTIVATIONS[String(raw)];
  if (!name) throw new UnsupportedLayerError(layer.class_name, String(layer.config.name), `${key}=${JSON.stringify(raw)} is not supported`);
  return name;
}

function refuseOptions(layer: LayerConfig): void {
  const cfg = layer.config;
  const name = String(cfg.name);
  for (const key of ['stateful', 'return_state', 'time_major'] as const)
    if (cfg[key] === true) throw new UnsupportedLayerError(layer.class_name, name, `${key}=true is not supported`);
}

/** Reverses the time axis (axis 0 of the ONNX layout) with a step −1 Slice. */
function reverseTime(g: GraphBuilder, name: string): void {
  const inputs = [g.current, g.intConstant(`${name}/rev_start`, [-1]), g.intConstant(`${name}/rev_end`, [-(2 ** 53 - 1)])];
  g.op('Slice', [...inputs, g.intConstant(`${name}/rev_axes`, [0]), g.intConstant(`${name}/rev_steps`, [-1])], [], 'reverse');
}

/**
 * One recurrent layer on the running [batch, steps, features] tensor. `weightsName` is the prefix of its
 * weights (a Bidirectional's halves are named inside the wrapper). go_backwards feeds the steps last to
 * first and, as tfjs, returns the sequence in that processed order.
 */
export function addRecurrent(g: GraphBuilder, weights: WeightReader, layer: LayerConfig, kind: RecurrentKind): void {
  refuseOptions(layer);
  const cfg = layer.config;
  const name = String(cfg.name);
  if (g.rank !== 3) throw new UnsupportedLayerError(layer.class_name, name, `input rank ${g.rank} (needs [batch, steps, features])`);
  g.toChannelsLast();
  const units = Number(cfg.units);
  const features = g.shape[1];
  if (features == null) throw new UnsupportedLayerError(layer.class_name, name, 'the feature size is unknown');
  const order = GATE_ORDER[kind];
  const gates = order.length;
  const resetAfter = kind === 'GRU' && cfg.reset_after === true;

  const kernel = weights.next(layer, 'kernel', [features, gates * units]).data;
  const recurrent = weights.next(layer, 'recurrent_kernel', [units, gates * units]).data;
  const bias = new Float32Array(2 * gates * units);
  if (cfg.use_bias !== false) {
    // Keras's reset_after GRU keeps separate input and recurrent biases ([2, 3·units]): ONNX's Wb and Rb.
    const b = weights.next(layer, 'bias', resetAfter ? [2, gates * units] : [gates * units]).data;
    bias.set(reorderBias(b.subarray(0, gates * units), units, order));
    if (resetAfter) bias.set(reorderBias(b.subarray(gates * units), units, order), gates * units);
  }
  const activations =
    kind === 'SimpleRNN'
      ? [activationName(layer, 'activation', 'tanh')]
      : kind === 'LSTM'
        ? [
            activationName(layer, 'recurrent_activation', 'hard_sigmoid'),
            activationName(layer, 'activation', 'tanh'),
            activationName(layer, 'activation', 'tanh'),
          ]
        : [activationName(layer, 'recurrent_activation', 'hard_sigmoid'), activationName(layer, 'activation', 'tanh')];

  const steps = g.shape[0] ?? null;
  g.op('Transpose', [g.current], [intsAttr('perm', [1, 0, 2])], 'to_time_major');
  if (cfg.go_backwards === true) reverseTime(g, name);
  const inputs = [
    g.current,
    g.floatConstant(`${name}/kernel`, [1, gates * units, features], gateMajor(kernel, features, units, order)),
    g.floatConstant(`${name}/recurrent_kernel`, [1, gates * units, units], gateMajor(recurrent, units, units, order)),
    g.floatConstant(`${name}/bias`, [1, 2 * gates * units], bias),
  ];
  const attrs = [intAttr('hidden_size', units), stringsAttr('activations', activations)];
  if (kind === 'GRU') attrs.push(intAttr('linear_before_reset', resetAfter ? 1 : 0));
  const [y, yh] = g.opOutputs(OP[kind], inputs, 2, attrs, kind.toLowerCase());
  if (cfg.return_sequences === true) {
    // Y is [steps, directions, batch, units].
    const squeezed = g.op('Squeeze', [y!, g.intConstant(`${name}/squeeze_dir`, [1])], [], 'rnn_seq');
    g.op('Transpose', [squeezed], [intsAttr('perm', [1, 0, 2])], 'to_batch_major');
    g.shape = [steps, units];
  } else {
    g.op('Squeeze', [yh!, g.intConstant(`${name}/squeeze_dir`, [0])], [], 'rnn_last');
    g.shape = [units];
  }
}

const RECURRENT: readonly string[] = ['SimpleRNN', 'LSTM', 'GRU'];

/**
 * Bidirectional: the wrapped layer forward and backward on the same input (tfjs names their weights
 * <wrapper>/forward_<layer> and <wrapper>/backward_<layer>); a backward sequence is turned back to input
 * order before merging, as tfjs does.
 */
export function addBidirectional(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  const name = String(layer.config.name);
  const inner = layer.config.layer as LayerConfig | undefined;
  if (!inner || !RECURRENT.includes(inner.class_name))
    throw new UnsupportedLayerError(layer.class_name, name, `wrapping ${String(inner?.class_name)} is not supported`);
  const mode = layer.config.merge_mode === undefined ? 'concat' : layer.config.merge_mode;
  if (mode !== 'concat' && mode !== 'sum' && mode !== 'mul' && mode !== 'ave')
    throw new UnsupportedLayerError(layer.class_name, name, `merge_mode=${JSON.stringify(mode)} is not supported`);
  const innerName = String(inner.config.name);
  const input = g.value;
  const half = (direction: 'forward' | 'backward'): TensorValue => {
    g.value = input;
    const goBackwards = inner.config.go_backwards === true;
    const config: LayerConfig['config'] = {
      ...inner.config,
      name: `${name}/${direction}_${innerName}`,
      go_backwards: direction === 'backward' ? !goBackwards : goBackwards,
    };
    addRecurrent(g, weights, { class_name: inner.class_name, config }, inner.class_name as RecurrentKind);
    if (direction === 'backward' && config.return_sequences === true) {
      g.op('Transpose', [g.current], [intsAttr('perm', [1, 0, 2])], 'to_time_major');
      reverseTime(g, String(config.name));
      g.op('Transpose', [g.current], [intsAttr('perm', [1, 0, 2])], 'to_batch_major');
    }
    return g.value;
  };
  const forward = half('forward');
  const backward = half('backward');
  const units = forward.shape[forward.shape.length - 1]!;
  if (mode === 'concat') {
    g.op('Concat', [forward.name, backward.name], [intAttr('axis', -1)], 'bidi_concat');
    g.shape = [...forward.shape.slice(0, -1), units * 2];
    return;
  }
  g.op(mode === 'mul' ? 'Mul' : 'Add', [forward.name, backward.name], [], `bidi_${mode}`);
  if (mode === 'ave') g.op('Mul', [g.current, g.floatConstant(`${name}/half`, [], Float32Array.of(0.5))], [], 'bidi_ave');
  g.shape = forward.shape;
}
