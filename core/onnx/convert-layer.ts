import { assertNever } from '../assert-never';
import { addActivation } from './activation';
import type { GraphBuilder, TensorValue } from './graph-builder';
import { UnsupportedLayerError, type LayerConfig } from './layers-model-description';
import { addELU, addLeakyReLU, addPReLU, addReLU, addSoftmaxLayer, addThresholdedReLU } from './layers/activation-layers';
import { addConv1D, addPooling1D } from './layers/conv1d';
import { addConv2DTranspose } from './layers/conv2d-transpose';
import { addDepthwiseConv2D, addSeparableConv2D } from './layers/depthwise-conv2d';
import { addEmbedding } from './layers/embedding';
import { addGlobalPooling } from './layers/global-pooling';
import { addLayerNormalization } from './layers/layer-normalization';
import { addCropping2D, addUpSampling2D, addZeroPadding2D } from './layers/padding-cropping';
import { addPermute, addRepeatVector, addReshape } from './layers/reshape';
import { addMerge, isMergeLayer, MERGE_LAYERS } from './layers/merge';
import { addBidirectional, addRecurrent } from './layers/recurrent';
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
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
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
  'Reshape',
  'Permute',
  'RepeatVector',
  'ZeroPadding2D',
  'Cropping2D',
  'UpSampling2D',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'Conv1D',
  'MaxPooling1D',
  'AveragePooling1D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'Conv2DTranspose',
  'LayerNormalization',
  'Embedding',
  'SimpleRNN',
  'LSTM',
  'GRU',
  'Bidirectional',
  'TimeDistributed',
  ...MERGE_LAYERS,
] as const;
export type SupportedLayer = (typeof SUPPORTED_LAYERS)[number];

export const isSupportedLayer = (className: string): className is SupportedLayer =>
  (SUPPORTED_LAYERS as readonly string[]).includes(className);

/**
 * Appends one call of a tfjs layer to the graph. Merge layers read all of `inputs`; every other layer
 * reads exactly one, which becomes the running tensor (the running tensor itself when none is given).
 */
export function convertLayer(g: GraphBuilder, weights: WeightReader, layer: LayerConfig, inputs?: TensorValue[]): void {
  const kind = layer.class_name;
  const name = String(layer.config.name ?? '?');
  if (!isSupportedLayer(kind)) throw new UnsupportedLayerError(kind, name);
  if (inputs && !isMergeLayer(kind)) {
    if (inputs.length !== 1) throw new UnsupportedLayerError(kind, name, `${inputs.length} inputs (takes one)`);
    g.value = inputs[0]!;
  }
  switch (kind) {
    case 'InputLayer':
    case 'Dropout': // the dropout and noise layers are the identity at inference
    case 'SpatialDropout1D':
    case 'GaussianNoise':
    case 'GaussianDropout':
    case 'AlphaDropout':
      return;
    case 'Flatten': {
      // tfjs's channelsFirst Flatten permutes first; the exporter only writes the channels-last order.
      const format = layer.config.data_format ?? layer.config.dataFormat;
      if (format != null && format !== 'channels_last' && format !== 'channelsLast')
        throw new UnsupportedLayerError(kind, name, `data_format=${String(format)} is not supported`);
      return addFlatten(g);
    }
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
    case 'Reshape':
      return addReshape(g, layer);
    case 'Permute':
      return addPermute(g, layer);
    case 'RepeatVector':
      return addRepeatVector(g, layer);
    case 'ZeroPadding2D':
      return addZeroPadding2D(g, layer);
    case 'Cropping2D':
      return addCropping2D(g, layer);
    case 'UpSampling2D':
      return addUpSampling2D(g, layer);
    case 'GlobalAveragePooling1D':
      return addGlobalPooling(g, layer, 'ReduceMean', 1);
    case 'GlobalAveragePooling2D':
      return addGlobalPooling(g, layer, 'ReduceMean', 2);
    case 'GlobalMaxPooling1D':
      return addGlobalPooling(g, layer, 'ReduceMax', 1);
    case 'GlobalMaxPooling2D':
      return addGlobalPooling(g, layer, 'ReduceMax', 2);
    case 'Conv1D':
      return addConv1D(g, weights, layer);
    case 'MaxPooling1D':
      return addPooling1D(g, layer, 'MaxPool');
    case 'AveragePooling1D':
      return addPooling1D(g, layer, 'AveragePool');
    case 'DepthwiseConv2D':
      return addDepthwiseConv2D(g, weights, layer);
    case 'SeparableConv2D':
      return addSeparableConv2D(g, weights, layer);
    case 'Conv2DTranspose':
      return addConv2DTranspose(g, weights, layer);
    case 'LayerNormalization':
      return addLayerNormalization(g, weights, layer);
    case 'Embedding':
      return addEmbedding(g, weights, layer);
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return addRecurrent(g, weights, layer, kind);
    case 'Bidirectional':
      return addBidirectional(g, weights, layer);
    case 'TimeDistributed':
      return addTimeDistributed(g, weights, layer);
    case 'Add':
    case 'Subtract':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
    case 'Minimum':
    case 'Concatenate':
      return addMerge(g, layer, kind, inputs ?? []);
    default:
      assertNever(kind);
  }
}

/**
 * TimeDistributed(Dense) is Dense on every step, which Dense on a rank-3 tensor already is (MatMul
 * broadcasts); the weights are named after the wrapper.
 */
function addTimeDistributed(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  const inner = layer.config.layer as LayerConfig | undefined;
  if (inner?.class_name !== 'Dense')
    throw new UnsupportedLayerError(layer.class_name, String(layer.config.name), `wrapping ${String(inner?.class_name)} is not supported`);
  addDense(g, weights, { class_name: 'Dense', config: { ...inner.config, name: layer.config.name } });
}
