import { addActivation } from '../activation';
import { intsAttr, stringAttr, type GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';
import type { WeightReader } from '../weight-reader';
import { readWindow, windowAxis, type SpatialWindow } from './spatial-window';

/** tfjs kernel [kh, kw, in, out] → ONNX weight [out, in, kh, kw]. */
function toOihw(data: Float32Array, [kh, kw, cin, cout]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh!; y++)
    for (let x = 0; x < kw!; x++)
      for (let i = 0; i < cin!; i++)
        for (let o = 0; o < cout!; o++) out[((o * cin! + i) * kh! + y) * kw! + x] = data[((y * kw! + x) * cin! + i) * cout! + o]!;
  return out;
}

/** Pads and output shape of a window over the running NHWC-shaped tensor; also used by pooling. */
export function windowAttributes(g: GraphBuilder, w: SpatialWindow, channelsOut: number | null) {
  const [h, wd, c] = g.shape;
  const ay = windowAxis(h ?? null, w.kernel[0], w.strides[0], w.dilations[0], w.padding);
  const ax = windowAxis(wd ?? null, w.kernel[1], w.strides[1], w.dilations[1], w.padding);
  const attrs = [intsAttr('kernel_shape', w.kernel), intsAttr('strides', w.strides)];
  if (ay.pads && ax.pads) attrs.push(intsAttr('pads', [ay.pads[0], ax.pads[0], ay.pads[1], ax.pads[1]]));
  // Only reached for 'same' on an open image size, where TensorFlow's rule is ONNX's SAME_UPPER.
  else attrs.push(stringAttr('auto_pad', 'SAME_UPPER'));
  return { attrs, shape: [ay.out, ax.out, channelsOut ?? c ?? null] };
}

export function addConv2D(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  const name = String(layer.config.name);
  if (g.rank !== 4) throw new UnsupportedLayerError(layer.class_name, name, `input rank ${g.rank} (Conv2D needs [batch, h, w, c])`);
  const window = readWindow(layer, 'kernel_size');
  const filters = Number(layer.config.filters);
  const cin = g.shape[2];
  if (cin == null) throw new UnsupportedLayerError(layer.class_name, name, 'the input channel count is unknown');
  const kernel = weights.next(layer, 'kernel', [window.kernel[0], window.kernel[1], cin, filters]);
  const inputs = [
    g.current,
    g.floatConstant(`${name}/kernel`, [filters, cin, window.kernel[0], window.kernel[1]], toOihw(kernel.data, kernel.shape)),
  ];
  if (layer.config.use_bias !== false) {
    const bias = weights.next(layer, 'bias', [filters]);
    inputs.push(g.floatConstant(`${name}/bias`, bias.shape, bias.data));
  }
  const { attrs, shape } = windowAttributes(g, window, filters);
  g.toChannelsFirst();
  inputs[0] = g.current;
  g.op('Conv', inputs, [...attrs, intsAttr('dilations', window.dilations)], 'conv');
  g.shape = shape;
  addActivation(g, layer, layer.config.activation);
}
