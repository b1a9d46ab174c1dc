import type { GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';
import { windowAttributes } from './conv2d';
import { readWindow } from './spatial-window';

/**
 * MaxPooling2D → MaxPool, AveragePooling2D → AveragePool. TensorFlow leaves padded cells out of an
 * average, which is ONNX's default count_include_pad = 0.
 */
export function addPooling2D(g: GraphBuilder, layer: LayerConfig, opType: 'MaxPool' | 'AveragePool'): void {
  if (g.rank !== 4)
    throw new UnsupportedLayerError(layer.class_name, String(layer.config.name), `input rank ${g.rank} (pooling needs [batch, h, w, c])`);
  const { attrs, shape } = windowAttributes(g, readWindow(layer, 'pool_size'), null);
  g.toChannelsFirst();
  g.op(opType, [g.current], attrs, opType === 'MaxPool' ? 'maxpool' : 'avgpool');
  g.shape = shape;
}
