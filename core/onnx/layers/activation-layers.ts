import { floatAttr, intAttr, intsAttr, type GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';
import type { WeightReader } from '../weight-reader';

// The advanced-activation layers (tfjs layers/advanced_activations): each is one ONNX op or a short chain.

const num = (v: unknown, fallback: number) => (v == null ? fallback : Number(v));

export function addLeakyReLU(g: GraphBuilder, layer: LayerConfig): void {
  // tfjs's default slope is 0.3 (Keras's), not ONNX's 0.01, so it is always written.
  g.op('LeakyRelu', [g.current], [floatAttr('alpha', num(layer.config.alpha, 0.3))]);
}

export function addELU(g: GraphBuilder, layer: LayerConfig): void {
  g.op('Elu', [g.current], [floatAttr('alpha', num(layer.config.alpha, 1))]);
}

export function addThresholdedReLU(g: GraphBuilder, layer: LayerConfig): void {
  // x if x > theta else 0, ONNX's ThresholdedRelu with alpha = theta.
  g.op('ThresholdedRelu', [g.current], [floatAttr('alpha', num(layer.config.theta, 1))]);
}

/**
 * Keras's ReLU: max_value above the cap, x from the threshold up, negative_slope·(x − threshold) below.
 * tfjs itself reads only maxValue; the other two come from Keras-converted configs.
 */
export function addReLU(g: GraphBuilder, layer: LayerConfig): void {
  const cfg = layer.config;
  const name = String(cfg.name);
  const maxValue = cfg.max_value ?? cfg.maxValue;
  const slope = num(cfg.negative_slope ?? cfg.negativeSlope, 0);
  const threshold = num(cfg.threshold, 0);
  const c = (label: string, v: number) => g.floatConstant(`${name}/${label}`, [], Float32Array.of(v));
  const x = g.current;
  if (slope === 0 && threshold === 0) g.op('Relu', [x]);
  else {
    const t = c('threshold', threshold);
    const below = g.op('Mul', [g.op('Sub', [x, t], [], 'relu'), c('negative_slope', slope)], [], 'relu');
    const keep = g.op('GreaterOrEqual', [x, t], [], 'relu');
    g.op('Where', [keep, x, below], [], 'relu');
  }
  if (maxValue != null) g.op('Min', [g.current, c('max_value', Number(maxValue))], [], 'relu_max');
}

/** Softmax over tfjs axes; a single axis is ONNX's Softmax, several are exp(x − logsumexp(x)). */
export function addSoftmaxLayer(g: GraphBuilder, layer: LayerConfig): void {
  const raw = layer.config.axis ?? 1;
  const axes = (Array.isArray(raw) ? raw : [raw]).map((a) => {
    const axis = Number(a);
    return axis < 0 ? axis + g.rank : axis;
  });
  if (axes.some((a) => a <= 0 || a >= g.rank))
    throw new UnsupportedLayerError(layer.class_name, String(layer.config.name), `axis=${JSON.stringify(raw)} is not supported`);
  // The axes count in tfjs order.
  g.toChannelsLast();
  if (axes.length === 1) {
    g.op('Softmax', [g.current], [intAttr('axis', axes[0]!)]);
    return;
  }
  const x = g.current;
  const lse = g.op('ReduceLogSumExp', [x], [intsAttr('axes', axes), intAttr('keepdims', 1)], 'softmax');
  g.op('Exp', [g.op('Sub', [x, lse], [], 'softmax')], [], 'softmax');
}

/** PReLU's alpha has the input's shape without the batch, 1 on shared axes: it broadcasts as ONNX PRelu wants. */
export function addPReLU(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  const name = String(layer.config.name);
  g.toChannelsLast();
  const alpha = weights.next(layer, 'alpha');
  if (alpha.shape.length !== g.shape.length)
    throw new UnsupportedLayerError(layer.class_name, name, `alpha of rank ${alpha.shape.length} for an input of rank ${g.rank}`);
  g.op('PRelu', [g.current, g.floatConstant(`${name}/alpha`, alpha.shape, alpha.data)], [], 'prelu');
}
