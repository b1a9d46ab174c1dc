import { addActivation } from '../activation';
import { intAttr, intsAttr, type GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';
import type { WeightReader } from '../weight-reader';
import { windowAttributes } from './conv2d';
import { readWindow } from './spatial-window';

// DepthwiseConv2D and SeparableConv2D: a grouped Conv (one group per input channel), SeparableConv2D then a
// 1×1 Conv. tfjs numbers depthwise output channels c·multiplier + m, which is ONNX's group order.

/** tfjs depthwise kernel [kh, kw, in, mult] → ONNX [in·mult, 1, kh, kw]. */
function depthwiseWeight(data: Float32Array, kh: number, kw: number, cin: number, mult: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let c = 0; c < cin; c++)
        for (let m = 0; m < mult; m++) out[((c * mult + m) * kh + y) * kw + x] = data[((y * kw + x) * cin + c) * mult + m]!;
  return out;
}

function depthwise(g: GraphBuilder, weights: WeightReader, layer: LayerConfig, role: string, withBias: boolean): number {
  const name = String(layer.config.name);
  if (g.rank !== 4) throw new UnsupportedLayerError(layer.class_name, name, `input rank ${g.rank} (needs [batch, h, w, c])`);
  const window = readWindow(layer, 'kernel_size');
  const cin = g.shape[2];
  if (cin == null) throw new UnsupportedLayerError(layer.class_name, name, 'the input channel count is unknown');
  const [kh, kw] = window.kernel;
  // tfjs's SeparableConv2D leaves depth_multiplier out of its config, so the kernel's last axis says it.
  const kernel = weights.next(layer, role);
  const mult = kernel.shape[3] ?? 0;
  if (kernel.shape.join(',') !== [kh, kw, cin, mult].join(','))
    throw new Error(`weight ${kernel.name} has shape [${kernel.shape.join(', ')}], expected [${kh}, ${kw}, ${cin}, multiplier]`);
  const inputs = [g.floatConstant(`${name}/${role}`, [cin * mult, 1, kh, kw], depthwiseWeight(kernel.data, kh, kw, cin, mult))];
  if (withBias) {
    const bias = weights.next(layer, 'bias', [cin * mult]);
    inputs.push(g.floatConstant(`${name}/bias`, bias.shape, bias.data));
  }
  const { attrs, shape } = windowAttributes(g, window, cin * mult);
  g.toChannelsFirst();
  g.op('Conv', [g.current, ...inputs], [...attrs, intsAttr('dilations', window.dilations), intAttr('group', cin)], 'depthwise');
  g.shape = shape;
  return cin * mult;
}

export function addDepthwiseConv2D(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  depthwise(g, weights, layer, 'depthwise_kernel', layer.config.use_bias !== false);
  addActivation(g, layer, layer.config.activation);
}

export function addSeparableConv2D(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  const name = String(layer.config.name);
  const mid = depthwise(g, weights, layer, 'depthwise_kernel', false);
  const filters = Number(layer.config.filters);
  // The pointwise kernel [1, 1, mid, filters] → ONNX [filters, mid, 1, 1] is a plain transpose.
  const pointwise = weights.next(layer, 'pointwise_kernel', [1, 1, mid, filters]).data;
  const w = new Float32Array(pointwise.length);
  for (let i = 0; i < mid; i++) for (let o = 0; o < filters; o++) w[o * mid + i] = pointwise[i * filters + o]!;
  const inputs = [g.current, g.floatConstant(`${name}/pointwise_kernel`, [filters, mid, 1, 1], w)];
  if (layer.config.use_bias !== false) {
    const bias = weights.next(layer, 'bias', [filters]);
    inputs.push(g.floatConstant(`${name}/bias`, bias.shape, bias.data));
  }
  g.op('Conv', inputs, [intsAttr('kernel_shape', [1, 1])], 'pointwise');
  g.shape = [g.shape[0]!, g.shape[1]!, filters];
  addActivation(g, layer, layer.config.activation);
}
