import type { GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';
import type { WeightReader } from '../weight-reader';

/** Embedding is a Gather of rows of its table by the (int32) indices; the exporter makes the graph input int32. */
export function addEmbedding(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  const cfg = layer.config;
  const name = String(cfg.name);
  // A mask changes what later layers (RNNs) compute, which the ONNX graph would not reproduce.
  if (cfg.mask_zero === true) throw new UnsupportedLayerError(layer.class_name, name, 'mask_zero=true is not supported');
  const table = weights.next(layer, 'embeddings', [Number(cfg.input_dim), Number(cfg.output_dim)]);
  g.op('Gather', [g.floatConstant(`${name}/embeddings`, table.shape, table.data), g.current], [], 'embedding');
  g.shape = [...g.shape, Number(cfg.output_dim)];
}
