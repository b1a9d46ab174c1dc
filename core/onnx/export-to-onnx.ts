import type { onnx as OnnxTypes } from 'onnx-proto';
import { convertLayer, isSupportedLayer } from './convert-layer';
import { GraphBuilder, type Dim } from './graph-builder';
import { layersOf, UnsupportedLayerError, type LayerConfig, type LayersModelDescription } from './layers-model-description';
import { onnx } from './onnx-proto';
import { WeightReader } from './weight-reader';

// tfjs LayersModel → ONNX ModelProto (IR 7, opset 13, float32, dynamic batch). Written here because no
// JavaScript exporter exists (the only one is Python's tf2onnx).

export const ONNX_IR_VERSION = 7;
export const ONNX_OPSET = 13;
export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'output';
export const BATCH_DIM = 'batch';
export const SEQ_DIM = 'seq';

export interface ExportOptions {
  modelName?: string;
  producerVersion?: string;
}

/** The input shape without the batch axis, from the first layer that declares one. */
function inputShape(layers: LayerConfig[]): Dim[] {
  for (const layer of layers) {
    const shape = (layer.config.batch_input_shape ?? layer.config.batchInputShape) as Array<number | null> | undefined;
    if (Array.isArray(shape)) {
      if (shape.length < 2)
        throw new UnsupportedLayerError(
          layer.class_name,
          String(layer.config.name),
          `input rank ${shape.length} (needs a batch axis and features)`,
        );
      return shape.slice(1).map((d) => (d == null ? null : Number(d)));
    }
  }
  throw new Error('the model has no input shape (build it with inputShape on its first layer)');
}

export function exportToOnnx(desc: LayersModelDescription, opts: ExportOptions = {}): Uint8Array {
  const layers = layersOf(desc.topology);
  // Name the first unsupported layer before doing any work, whatever comes before it.
  for (const layer of layers)
    if (!isSupportedLayer(layer.class_name)) throw new UnsupportedLayerError(layer.class_name, String(layer.config.name ?? '?'));
  const shape = inputShape(layers);
  const g = new GraphBuilder(INPUT_NAME, shape);
  const weights = new WeightReader(desc.weights);
  for (const layer of layers) convertLayer(g, weights, layer);
  if (weights.remaining !== 0) throw new Error(`${weights.remaining} weight tensors were not used: the topology and weights do not match`);
  // The output must be in tfjs's axis order, and named "output" whatever the last op was.
  g.toChannelsLast();
  if (g.nodes.length === 0) g.op('Identity', [INPUT_NAME]);
  g.nodes[g.nodes.length - 1]!.output = [OUTPUT_NAME];

  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    producerName: 'ferry',
    producerVersion: opts.producerVersion ?? '0.1.0',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: opts.modelName ?? 'ferry_model',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(INPUT_NAME, inputType(layers), symbolicDims(shape))],
      output: [valueInfo(OUTPUT_NAME, onnx.TensorProto.DataType.FLOAT, symbolicDims(g.shape))],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Embedding reads indices: tfjs casts them to int32, so that is what the ONNX graph takes. */
function inputType(layers: LayerConfig[]): number {
  const first = layers.find((l) => l.class_name !== 'InputLayer');
  return first?.class_name === 'Embedding' ? onnx.TensorProto.DataType.INT32 : onnx.TensorProto.DataType.FLOAT;
}

/** 'batch' first; an open time axis of a sequence ([batch, steps, features]) is 'seq'. */
export function symbolicDims(shape: Dim[]): Array<string | number | null> {
  return [BATCH_DIM, ...shape.map((d, i) => (d == null && i === 0 && shape.length === 2 ? SEQ_DIM : d))];
}

function valueInfo(name: string, elemType: number, dims: Array<string | number | null>): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : d === null ? {} : { dimValue: d })) },
      },
    },
  };
}
