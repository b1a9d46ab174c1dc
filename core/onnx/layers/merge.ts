import { intAttr, type GraphBuilder, type TensorValue } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';

// The merge layers of a Functional graph: element-wise Add, Subtract, Multiply, Average, Maximum, Minimum,
// and Concatenate along an axis.

export const MERGE_LAYERS = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate'] as const;
export type MergeLayer = (typeof MERGE_LAYERS)[number];
export const isMergeLayer = (className: string): className is MergeLayer => (MERGE_LAYERS as readonly string[]).includes(className);

const ELEMENTWISE: Record<Exclude<MergeLayer, 'Concatenate'>, string> = {
  Add: 'Sum',
  Subtract: 'Sub',
  Multiply: 'Mul',
  Average: 'Mean',
  Maximum: 'Max',
  Minimum: 'Min',
};

/**
 * Brings every input to one layout: images that are all channels-first stay so (a residual block between
 * convolutions needs no transposes), anything else goes channels-last.
 */
function sameLayout(g: GraphBuilder, inputs: TensorValue[]): TensorValue[] {
  if (inputs.every((v) => v.layout === 'channels-first')) return inputs;
  return inputs.map((v) => {
    g.value = v;
    g.toChannelsLast();
    return g.value;
  });
}

export function addMerge(g: GraphBuilder, layer: LayerConfig, kind: MergeLayer, values: TensorValue[]): void {
  const name = String(layer.config.name);
  if (values.length < 2) throw new UnsupportedLayerError(layer.class_name, name, `${values.length} input (needs at least 2)`);
  if (kind === 'Subtract' && values.length !== 2)
    throw new UnsupportedLayerError(layer.class_name, name, 'Subtract needs exactly 2 inputs');
  const rank = values[0]!.shape.length + 1;
  if (values.some((v) => v.shape.length + 1 !== rank))
    throw new UnsupportedLayerError(layer.class_name, name, 'inputs of different ranks are not supported');
  const inputs = sameLayout(g, values);
  const layout = inputs[0]!.layout;
  g.value = inputs[0]!;
  if (kind !== 'Concatenate') {
    g.op(
      ELEMENTWISE[kind],
      inputs.map((v) => v.name),
      [],
      kind.toLowerCase(),
    );
    // Sizes of 1 broadcast as in tfjs; the larger one is the output's.
    g.shape = inputs[0]!.shape.map((d, i) => (inputs.some((v) => v.shape[i] == null) ? d : Math.max(...inputs.map((v) => v.shape[i]!))));
    return;
  }
  const raw = Number(layer.config.axis ?? -1);
  const axis = raw < 0 ? raw + rank : raw;
  if (axis <= 0 || axis >= rank) throw new UnsupportedLayerError(layer.class_name, name, `axis=${raw} is not supported`);
  // tfjs counts the axis in NHWC order: in NCHW, channels are axis 1 and h, w move one along.
  const onnxAxis = layout === 'channels-first' ? [0, 2, 3, 1][axis]! : axis;
  g.op(
    'Concat',
    inputs.map((v) => v.name),
    [intAttr('axis', onnxAxis)],
    'concat',
  );
  const sizes = inputs.map((v) => v.shape[axis - 1]);
  g.shape = inputs[0]!.shape.map((d, i) =>
    i === axis - 1 ? (sizes.every((s) => s != null) ? (sizes as number[]).reduce((a, b) => a + b, 0) : null) : d,
  );
}
