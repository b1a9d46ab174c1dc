import { addActivation } from '../activation';
import type { GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';
import type { WeightReader } from '../weight-reader';

/** tfjs Dense multiplies the last axis by kernel [in, units]: ONNX's MatMul has the same shape convention. */
export function addDense(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  const name = String(layer.config.name);
  // Dense acts on the last axis as tfjs orders it.
  g.toChannelsLast();
  const units = Number(layer.config.units);
  const inDim = g.shape[g.shape.length - 1];
  if (inDim == null) throw new UnsupportedLayerError(layer.class_name, name, 'the input feature size is unknown');
  const kernel = weights.next(layer, 'kernel', [inDim, units]);
  const k = g.floatConstant(`${name}/kernel`, kernel.shape, kernel.data);
  const bias = layer.config.use_bias !== false ? weights.next(layer, 'bias', [units]) : null;
  const b = bias ? g.floatConstant(`${name}/bias`, bias.shape, bias.data) : null;
  if (g.rank === 2 && b) g.op('Gemm', [g.current, k, b], [], 'dense');
  else {
    // Gemm is 2-D only; MatMul broadcasts over leading axes like tfjs Dense on a sequence or image.
    g.op('MatMul', [g.current, k], [], 'dense');
    if (b) g.op('Add', [g.current, b], [], 'dense_bias');
  }
  g.shape = [...g.shape.slice(0, -1), units];
  addActivation(g, layer, layer.config.activation);
}
