import { addActivation } from '../activation';
import { intsAttr, stringAttr, type Dim, type GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';
import type { WeightReader } from '../weight-reader';
import { windowAxis } from './spatial-window';

// Conv1D and Max/AveragePooling1D on [batch, steps, channels]: ONNX wants [batch, channels, steps], so
// each op is wrapped in a pair of transposes (sequences have no channels-first layout to stay in).

const first = (v: unknown, fallback: number) => (v == null ? fallback : Array.isArray(v) ? Number(v[0]) : Number(v));

interface Window1D {
  kernel: number;
  stride: number;
  dilation: number;
  padding: 'valid' | 'same' | 'causal';
}

function readWindow1D(layer: LayerConfig, kernelKey: 'kernel_size' | 'pool_size'): Window1D {
  const cfg = layer.config;
  const name = String(cfg.name);
  if ((cfg.data_format ?? 'channels_last') !== 'channels_last')
    throw new UnsupportedLayerError(layer.class_name, name, `data_format=${String(cfg.data_format)} is not supported`);
  const padding = String(cfg.padding ?? 'valid');
  if (padding !== 'valid' && padding !== 'same' && !(padding === 'causal' && kernelKey === 'kernel_size'))
    throw new UnsupportedLayerError(layer.class_name, name, `padding=${padding} is not supported`);
  const kernel = first(cfg[kernelKey], 1);
  const stride = first(cfg.strides, kernelKey === 'pool_size' ? kernel : 1);
  return { kernel, stride, dilation: first(cfg.dilation_rate, 1), padding: padding as Window1D['padding'] };
}

/** ONNX attributes and output length; causal padding is all before, so step t sees only steps ≤ t. */
function window1DAttributes(steps: Dim, w: Window1D) {
  const attrs = [intsAttr('kernel_shape', [w.kernel]), intsAttr('strides', [w.stride])];
  if (w.padding === 'causal') {
    const before = (w.kernel - 1) * w.dilation;
    attrs.push(intsAttr('pads', [before, 0]));
    return { attrs, out: windowAxis(steps == null ? null : steps + before, w.kernel, w.stride, w.dilation, 'valid').out };
  }
  const axis = windowAxis(steps, w.kernel, w.stride, w.dilation, w.padding);
  attrs.push(axis.pads ? intsAttr('pads', axis.pads) : stringAttr('auto_pad', 'SAME_UPPER'));
  return { attrs, out: axis.out };
}

function checkSequence(g: GraphBuilder, layer: LayerConfig): void {
  if (g.rank !== 3)
    throw new UnsupportedLayerError(layer.class_name, String(layer.config.name), `input rank ${g.rank} (needs [batch, steps, channels])`);
}

function channelsFirstOp(g: GraphBuilder, opType: string, inputs: string[], attrs: ReturnType<typeof window1DAttributes>['attrs']): void {
  g.toChannelsLast();
  const ncw = g.op('Transpose', [g.current], [intsAttr('perm', [0, 2, 1])], 'to_ncw');
  const out = g.op(opType, [ncw, ...inputs], attrs, opType.toLowerCase());
  g.op('Transpose', [out], [intsAttr('perm', [0, 2, 1])], 'to_nwc');
}

export function addConv1D(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  checkSequence(g, layer);
  const name = String(layer.config.name);
  const w = readWindow1D(layer, 'kernel_size');
  const filters = Number(layer.config.filters);
  const cin = g.shape[1];
  if (cin == null) throw new UnsupportedLayerError(layer.class_name, name, 'the input channel count is unknown');
  // tfjs kernel [k, in, out] → ONNX [out, in, k].
  const kernel = weights.next(layer, 'kernel', [w.kernel, cin, filters]).data;
  const oik = new Float32Array(kernel.length);
  for (let k = 0; k < w.kernel; k++)
    for (let i = 0; i < cin; i++)
      for (let o = 0; o < filters; o++) oik[(o * cin + i) * w.kernel + k] = kernel[(k * cin + i) * filters + o]!;
  const inputs = [g.floatConstant(`${name}/kernel`, [filters, cin, w.kernel], oik)];
  if (layer.config.use_bias !== false) {
    const bias = weights.next(layer, 'bias', [filters]);
    inputs.push(g.floatConstant(`${name}/bias`, bias.shape, bias.data));
  }
  const { attrs, out } = window1DAttributes(g.shape[0] ?? null, w);
  channelsFirstOp(g, 'Conv', inputs, [...attrs, intsAttr('dilations', [w.dilation])]);
  g.shape = [out, filters];
  addActivation(g, layer, layer.config.activation);
}

/** TensorFlow leaves padded steps out of an average: ONNX's default count_include_pad = 0. */
export function addPooling1D(g: GraphBuilder, layer: LayerConfig, opType: 'MaxPool' | 'AveragePool'): void {
  checkSequence(g, layer);
  const { attrs, out } = window1DAttributes(g.shape[0] ?? null, readWindow1D(layer, 'pool_size'));
  channelsFirstOp(g, opType, [], attrs);
  g.shape = [out, g.shape[1] ?? null];
}
