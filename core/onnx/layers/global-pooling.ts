import { intAttr, intsAttr, type GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';

/** GlobalAverage/MaxPooling1D/2D: a reduction over the time or spatial axes, whichever layout the tensor is in. */
export function addGlobalPooling(g: GraphBuilder, layer: LayerConfig, opType: 'ReduceMean' | 'ReduceMax', spatialRank: 1 | 2): void {
  const name = String(layer.config.name);
  if (g.rank !== spatialRank + 2)
    throw new UnsupportedLayerError(layer.class_name, name, `input rank ${g.rank} (needs rank ${spatialRank + 2})`);
  if ((layer.config.data_format ?? 'channels_last') !== 'channels_last')
    throw new UnsupportedLayerError(layer.class_name, name, `data_format=${String(layer.config.data_format)} is not supported`);
  if (layer.config.keepdims === true) throw new UnsupportedLayerError(layer.class_name, name, 'keepdims=true is not supported');
  const axes = g.layout === 'channels-first' ? [2, 3] : spatialRank === 1 ? [1] : [1, 2];
  g.op(opType, [g.current], [intsAttr('axes', axes), intAttr('keepdims', 0)], opType === 'ReduceMean' ? 'global_avg' : 'global_max');
  // Only the channels remain, so the layout no longer matters.
  g.layout = 'channels-last';
  g.shape = [g.shape[g.shape.length - 1] ?? null];
}
