import type { Dim } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';

/** A 2-D sliding window (convolution or pooling) read from a tfjs layer config. */
export interface SpatialWindow {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  padding: 'valid' | 'same';
}

function pair(value: unknown, fallback: [number, number]): [number, number] {
  if (value == null) return fallback;
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2) return [Number(value[0]), Number(value[1])];
  if (Array.isArray(value) && value.length === 1) return [Number(value[0]), Number(value[0])];
  throw new Error(`expected a pair of sizes, got ${JSON.stringify(value)}`);
}

export function readWindow(layer: LayerConfig, kernelKey: 'kernel_size' | 'pool_size'): SpatialWindow {
  const cfg = layer.config;
  const name = String(cfg.name);
  if ((cfg.data_format ?? 'channels_last') !== 'channels_last')
    throw new UnsupportedLayerError(layer.class_name, name, `data_format ${String(cfg.data_format)} (only channels_last)`);
  const padding = cfg.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') throw new UnsupportedLayerError(layer.class_name, name, `padding ${String(padding)}`);
  const kernel = pair(cfg[kernelKey], [1, 1]);
  // tfjs pooling defaults its strides to the pool size; toJSON already writes them out.
  const strides = pair(cfg.strides, kernelKey === 'pool_size' ? kernel : [1, 1]);
  return { kernel, strides, dilations: pair(cfg.dilation_rate, [1, 1]), padding };
}

/** Output size and [before, after] padding of one spatial axis, as TensorFlow computes them. */
export function windowAxis(
  size: Dim,
  kernel: number,
  stride: number,
  dilation: number,
  padding: 'valid' | 'same',
): { out: Dim; pads: [number, number] | null } {
  const span = (kernel - 1) * dilation + 1;
  if (size == null) return { out: null, pads: padding === 'valid' ? [0, 0] : null };
  if (padding === 'valid') return { out: Math.floor((size - span) / stride) + 1, pads: [0, 0] };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + span - size, 0);
  // TensorFlow puts the odd pixel after, which is ONNX's SAME_UPPER.
  return { out, pads: [Math.floor(total / 2), total - Math.floor(total / 2)] };
}
