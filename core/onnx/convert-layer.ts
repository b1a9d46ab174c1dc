import { assertNever } from '../assert-never';
import { addActivation } from './activation';
import type { GraphBuilder } from './graph-builder';
import { UnsupportedLayerError, type LayerConfig } from './layers-model-description';
import { addELU, addLeakyReLU, addPReLU, addReLU, addSoftmaxLayer, addThresholdedReLU } from './layers/activation-layers';
import { addBatchNormalization } from './layers/batch-normalization';
import { addConv2D } from './layers/conv2d';
import { addDense } from './layers/dense';
import { addFlatten } from './layers/flatten';
import { addPooling2D } from './layers/pooling2d';
import type { WeightReader } from './weight-reader';

export const SUPPORTED_LAYERS = [
  'InputLayer',
  'Dense',
  'Activation',
  'Dropout',
  'Flatten',
  'BatchNormalization',
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'LeakyReLU',
  'ELU',
  'ReLU',
  'Softmax',
  'ThresholdedReLU',
  'PReLU',
] as const;
export type SupportedLayer = (typeof SUPPORTED_LAYERS)[number];

export const isSupportedLayer = (className: string): className is SupportedLayer =>
  (SUPPORTED_LAYERS as readonly string[]).includes(className);

/** Appends one tfjs layer to the graph, continuing from the running tensor. */
export function convertLayer(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  const kind = layer.class_name;
  if (!isSupportedLayer(kind)) throw new UnsupportedLayerError(kind, String(layer.config.name ?? '?'));
  switch (kind) {
    case 'InputLayer':
    case 'Dropout': // identity at inference
      return;
    case 'Flatten':
      return addFlatten(g);
    case 'Activation':
      return addActivation(g, layer, layer.config.activation);
    case 'Dense':
      return addDense(g, weights, layer);
    case 'BatchNormalization':
      return addBatchNormalization(g, weights, layer);
    case 'Conv2D':
      return addConv2D(g, weights, layer);
    case 'MaxPooling2D':
      return addPooling2D(g, layer, 'MaxPool');
    case 'AveragePooling2D':
      return addPooling2D(g, layer, 'AveragePool');
    case 'LeakyReLU':
      return addLeakyReLU(g, layer);
    case 'ELU':
      return addELU(g, layer);
    case 'ReLU':
      return addReLU(g, layer);
    case 'Softmax':
      return addSoftmaxLayer(g, layer);
    case 'ThresholdedReLU':
      return addThresholdedReLU(g, layer);
    case 'PReLU':
      return addPReLU(g, weights, layer);
    default:
      assertNever(kind);
  }
}
