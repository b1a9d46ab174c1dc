import { intAttr, intsAttr, type GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';
import type { WeightReader } from '../weight-reader';

/**
 * ONNX's LayerNormalization op needs opset 17, so the moments are written out:
 * (x − mean) / √(var + ε) · γ + β over the layer's axes, as tfjs computes them.
 */
export function addLayerNormalization(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  const cfg = layer.config;
  const name = String(cfg.name);
  g.toChannelsLast();
  const axes = (Array.isArray(cfg.axis) ? cfg.axis : [cfg.axis ?? -1]).map((a) => (Number(a) < 0 ? Number(a) + g.rank : Number(a)));
  if (axes.some((a) => a <= 0 || a >= g.rank))
    throw new UnsupportedLayerError(layer.class_name, name, `axis=${JSON.stringify(cfg.axis)} is not supported`);
  const paramShape = axes.map((a) => g.shape[a - 1]);
  if (paramShape.some((d) => d == null)) throw new UnsupportedLayerError(layer.class_name, name, 'a normalized axis has an unknown size');
  // γ and β broadcast over every axis but the normalized ones (the batch axis is left to broadcasting).
  const broadcast = g.shape.map((d, i) => (axes.includes(i + 1) ? d! : 1));
  const x = g.current;
  const mean = g.op('ReduceMean', [x], [intsAttr('axes', axes), intAttr('keepdims', 1)], 'ln_mean');
  const centered = g.op('Sub', [x, mean], [], 'ln');
  const variance = g.op(
    'ReduceMean',
    [g.op('Mul', [centered, centered], [], 'ln')],
    [intsAttr('axes', axes), intAttr('keepdims', 1)],
    'ln_var',
  );
  const eps = g.floatConstant(`${name}/epsilon`, [], Float32Array.of(Number(cfg.epsilon ?? 1e-3)));
  g.op('Div', [centered, g.op('Sqrt', [g.op('Add', [variance, eps], [], 'ln')], [], 'ln')], [], 'ln');
  if (cfg.scale !== false) {
    const gamma = weights.next(layer, 'gamma', paramShape as number[]);
    g.op('Mul', [g.current, g.floatConstant(`${name}/gamma`, broadcast, gamma.data)], [], 'ln_scale');
  }
  if (cfg.center !== false) {
    const beta = weights.next(layer, 'beta', paramShape as number[]);
    g.op('Add', [g.current, g.floatConstant(`${name}/beta`, broadcast, beta.data)], [], 'ln_center');
  }
}
