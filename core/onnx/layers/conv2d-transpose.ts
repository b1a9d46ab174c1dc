import { addActivation } from '../activation';
import { intsAttr, type GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';
import type { WeightReader } from '../weight-reader';
import { readWindow } from './spatial-window';

/**
 * Conv2DTranspose → ConvTranspose. tfjs's output is n·s + max(k − s, 0) ('valid') or n·s ('same'); ONNX's is
 * (n − 1)·s + output_padding + k − pads, so 'same' crops k − s (the odd one at the end, as TensorFlow
 * does); when the kernel is smaller than the stride, both add s − k of output_padding.
 */
export function addConv2DTranspose(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  const name = String(layer.config.name);
  if (g.rank !== 4) throw new UnsupportedLayerError(layer.class_name, name, `input rank ${g.rank} (needs [batch, h, w, c])`);
  const w = readWindow(layer, 'kernel_size');
  if (w.dilations.some((d) => d !== 1))
    throw new UnsupportedLayerError(layer.class_name, name, 'dilation_rate other than 1 is not supported');
  const filters = Number(layer.config.filters);
  const [h, wd, cin] = g.shape;
  if (cin == null) throw new UnsupportedLayerError(layer.class_name, name, 'the input channel count is unknown');
  const [kh, kw] = w.kernel;
  // tfjs kernel [kh, kw, out, in] → ONNX [in, out, kh, kw].
  const kernel = weights.next(layer, 'kernel', [kh, kw, filters, cin]).data;
  const iokk = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let o = 0; o < filters; o++)
        for (let i = 0; i < cin; i++) iokk[((i * filters + o) * kh + y) * kw + x] = kernel[((y * kw + x) * filters + o) * cin + i]!;
  const inputs = [g.floatConstant(`${name}/kernel`, [cin, filters, kh, kw], iokk)];
  if (layer.config.use_bias !== false) {
    const bias = weights.next(layer, 'bias', [filters]);
    inputs.push(g.floatConstant(`${name}/bias`, bias.shape, bias.data));
  }
  const axis = (k: number, s: number) => {
    const extra = Math.max(s - k, 0);
    if (w.padding === 'valid') return { before: 0, after: 0, extra };
    const total = Math.max(k - s, 0);
    return { before: Math.floor(total / 2), after: total - Math.floor(total / 2), extra };
  };
  const ay = axis(kh, w.strides[0]);
  const ax = axis(kw, w.strides[1]);
  const attrs = [
    intsAttr('kernel_shape', w.kernel),
    intsAttr('strides', w.strides),
    intsAttr('pads', [ay.before, ax.before, ay.after, ax.after]),
    intsAttr('output_padding', [ay.extra, ax.extra]),
  ];
  g.toChannelsFirst();
  g.op('ConvTranspose', [g.current, ...inputs], attrs, 'conv_transpose');
  // tfjs's deconvLength: n·s, plus k − s when 'valid' and the kernel is the larger.
  const size = (n: number | null | undefined, k: number, s: number) =>
    n == null ? null : w.padding === 'same' ? n * s : n * s + Math.max(k - s, 0);
  g.shape = [size(h, kh, w.strides[0]), size(wd, kw, w.strides[1]), filters];
  addActivation(g, layer, layer.config.activation);
}
