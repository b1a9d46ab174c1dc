import type { onnx as OnnxTypes } from 'onnx-proto';
import { convertLayer, isSupportedLayer } from './convert-layer';
import { GraphBuilder, type Dim, type TensorValue } from './graph-builder';
import {
  layersOf,
  planModel,
  UnsupportedLayerError,
  type LayerConfig,
  type LayersModelDescription,
  type ModelPlan,
} from './layers-model-description';
import { onnx } from './onnx-proto';
import { WeightReader } from './weight-reader';

// tfjs LayersModel → ONNX ModelProto (IR 7, opset 13, float32, dynamic batch). Written here because no
// JavaScript exporter exists (the only one is Python's tf2onnx).

export const ONNX_IR_VERSION = 7;
export const ONNX_OPSET = 13;
/** A Sequential model's graph input and output; Functional models keep their Keras input and output names. */
export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'output';
export const BATCH_DIM = 'batch';
export const SEQ_DIM = 'seq';

export interface ExportOptions {
  modelName?: string;
  producerVersion?: string;
}

/** The input shape without the batch axis, as its layer declares it. */
function inputShape(layer: LayerConfig): Dim[] {
  const shape = (layer.config.batch_input_shape ?? layer.config.batchInputShape) as Array<number | null> | undefined;
  if (!Array.isArray(shape)) throw new Error('the model has no input shape (build it with inputShape on its first layer)');
  if (shape.length < 2)
    throw new UnsupportedLayerError(
      layer.class_name,
      String(layer.config.name),
      `input rank ${shape.length} (needs a batch axis and features)`,
    );
  return shape.slice(1).map((d) => (d == null ? null : Number(d)));
}

/** Embedding reads indices: tfjs casts them to int32, so that is what the ONNX graph takes where one reads the input. */
function inputType(plan: ModelPlan, key: string, layer: LayerConfig): number {
  const readers = plan.calls.filter((c) => c.inputs.includes(key));
  const int = layer.config.dtype === 'int32' || readers.some((c) => c.layer.class_name === 'Embedding');
  // The graph has one type per input: int32 indices cannot also feed float ops.
  const other = readers.find((c) => c.layer.class_name !== 'Embedding');
  if (int && other)
    throw new UnsupportedLayerError(
      other.layer.class_name,
      String(other.layer.config.name),
      'reading an int32 input directly is not supported',
    );
  return int ? onnx.TensorProto.DataType.INT32 : onnx.TensorProto.DataType.FLOAT;
}

export function exportToOnnx(desc: LayersModelDescription, opts: ExportOptions = {}): Uint8Array {
  // Name the first unsupported layer before doing any work, whatever comes before it.
  for (const layer of layersOf(desc.topology))
    if (!isSupportedLayer(layer.class_name)) throw new UnsupportedLayerError(layer.class_name, String(layer.config.name ?? '?'));
  const plan = planModel(desc.topology);
  const inputs = plan.inputs.map((i) => ({ ...i, shape: inputShape(plan.functional ? i.layer : firstShaped(plan)) }));
  const g = new GraphBuilder(inputs[0]!.name, inputs[0]!.shape);
  for (const { name } of [...inputs, ...plan.outputs]) g.reserve(name);

  const values = new Map<string, TensorValue>(inputs.map((i) => [i.key, { name: i.name, shape: i.shape, layout: 'channels-last' }]));
  const weights = new WeightReader(desc.weights);
  for (const call of plan.calls) {
    convertLayer(
      g,
      weights,
      call.layer,
      call.inputs.map((k) => values.get(k)!),
    );
    values.set(call.output, g.value);
  }
  if (weights.remaining !== 0) throw new Error(`${weights.remaining} weight tensors were not used: the topology and weights do not match`);

  const renamed = new Map<string, string>();
  const outputs = plan.outputs.map(({ key, name }) => ({ name, shape: nameOutput(g, values.get(key)!, name, renamed) }));
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    producerName: 'ferry',
    producerVersion: opts.producerVersion ?? '0.1.0',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: opts.modelName ?? 'ferry_model',
      node: g.nodes,
      initializer: g.initializers,
      input: inputs.map((i) => valueInfo(i.name, inputType(plan, i.key, i.layer), symbolicDims(i.shape))),
      output: outputs.map((o) => valueInfo(o.name, onnx.TensorProto.DataType.FLOAT, symbolicDims(o.shape))),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** A Sequential model's input shape is on its first layer (or its explicit InputLayer). */
function firstShaped(plan: ModelPlan): LayerConfig {
  const input = plan.inputs[0]!.layer;
  if (input.config.batch_input_shape ?? input.config.batchInputShape) return input;
  return plan.calls.find((c) => c.layer.config.batch_input_shape ?? c.layer.config.batchInputShape)?.layer ?? input;
}

/**
 * Gives an output value the graph output's name, in tfjs's axis order: the node computing it is renamed,
 * or, for a graph input or a tensor already named as another output, an Identity is added. `renamed`
 * maps tensors renamed so far to their new names, for outputs that share a tensor.
 */
function nameOutput(g: GraphBuilder, value: TensorValue, name: string, renamed: Map<string, string>): Dim[] {
  g.value = { ...value, name: renamed.get(value.name) ?? value.name };
  g.toChannelsLast();
  const tensor = g.current;
  if (g.produces(tensor) && ![...renamed.values()].includes(tensor)) {
    g.rename(tensor, name);
    renamed.set(tensor, name);
  } else g.nodes.push({ opType: 'Identity', input: [tensor], output: [name], name });
  return g.shape;
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
