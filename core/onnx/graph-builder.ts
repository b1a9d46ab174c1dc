import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from './onnx-proto';

/** A dimension other than the batch: null where the model leaves it open. */
export type Dim = number | null;

/**
 * tfjs images are NHWC, ONNX's Conv and pooling want NCHW. The running tensor switches to channels-first
 * only around those ops, and back before anything whose meaning depends on axis order (Flatten, Dense,
 * softmax over the last axis, the graph output).
 */
export type Layout = 'channels-last' | 'channels-first';

/** A tensor in the graph, as the exporter tracks it. */
export interface TensorValue {
  name: string;
  shape: Dim[];
  layout: Layout;
}

const TO_CHANNELS_FIRST = [0, 3, 1, 2];
const TO_CHANNELS_LAST = [0, 2, 3, 1];

export const intAttr = (name: string, i: number): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
export const intsAttr = (name: string, ints: number[]): OnnxTypes.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INTS,
  ints,
});
export const floatAttr = (name: string, f: number): OnnxTypes.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.FLOAT,
  f,
});
export const stringAttr = (name: string, s: string): OnnxTypes.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.STRING,
  s: new TextEncoder().encode(s),
});

export const stringsAttr = (name: string, strings: string[]): OnnxTypes.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.STRINGS,
  strings: strings.map((s) => new TextEncoder().encode(s)),
});

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** ONNX raw_data is little-endian whatever the host is. */
function littleEndianBytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  return out;
}

export class GraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private counter = 0;
  private readonly usedNames = new Set<string>();
  /** The name of the running tensor. */
  current: string;
  /** Its shape without the batch axis, always in tfjs (channels-last) order. */
  shape: Dim[];
  layout: Layout = 'channels-last';

  constructor(input: string, inputShape: Dim[]) {
    this.current = input;
    this.shape = inputShape;
    this.usedNames.add(input);
  }

  /** Keeps a name (a graph input or output) from being given to an intermediate tensor. */
  reserve(name: string): void {
    this.usedNames.add(name);
  }

  /** Renames a tensor everywhere it is produced or read (to give a graph output its Keras name). */
  rename(from: string, to: string): void {
    for (const node of this.nodes) {
      node.input = (node.input ?? []).map((n) => (n === from ? to : n));
      node.output = (node.output ?? []).map((n) => (n === from ? to : n));
    }
    if (this.current === from) this.current = to;
  }

  /** Whether a node computes this tensor (graph inputs and initializers are not). */
  produces(name: string): boolean {
    return this.nodes.some((n) => n.output?.includes(name));
  }

  private unique(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./-]/g, '_');
    let name = clean;
    while (this.usedNames.has(name)) name = `${clean}_${this.counter++}`;
    this.usedNames.add(name);
    return name;
  }

  floatConstant(name: string, dims: number[], data: Float32Array): string {
    const unique = this.unique(name);
    this.initializers.push({ name: unique, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: littleEndianBytes(data) });
    return unique;
  }

  /** An int64 tensor (shapes, axes, pads, slice bounds), which ONNX wants as inputs since opset 13. */
  intConstant(name: string, values: number[]): string {
    const unique = this.unique(name);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    const bytes = new Uint8Array(data.length * 8);
    const view = new DataView(bytes.buffer);
    data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
    this.initializers.push({ name: unique, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: bytes });
    return unique;
  }

  /** Adds a node reading `inputs` and makes its single output the running tensor. */
  op(opType: string, inputs: string[], attributes: OnnxTypes.IAttributeProto[] = [], prefix = opType.toLowerCase()): string {
    const output = this.unique(`${prefix}_${this.counter++}`);
    this.nodes.push({ opType, input: inputs, output: [output], name: output, attribute: attributes });
    this.current = output;
    return output;
  }

  /** Like op, for ops with several outputs (RNN, LSTM, GRU); the first becomes the running tensor. */
  opOutputs(
    opType: string,
    inputs: string[],
    count: number,
    attributes: OnnxTypes.IAttributeProto[] = [],
    prefix = opType.toLowerCase(),
  ): string[] {
    const base = this.unique(`${prefix}_${this.counter++}`);
    const outputs = Array.from({ length: count }, (_, i) => (i === 0 ? base : this.unique(`${base}_out${i}`)));
    this.nodes.push({ opType, input: inputs, output: outputs, name: base, attribute: attributes });
    this.current = outputs[0]!;
    return outputs;
  }

  /** The running tensor with its shape and layout, to come back to after a branch (Bidirectional, graphs). */
  get value(): TensorValue {
    return { name: this.current, shape: [...this.shape], layout: this.layout };
  }

  set value(v: TensorValue) {
    this.current = v.name;
    this.shape = [...v.shape];
    this.layout = v.layout;
  }

  get rank(): number {
    return this.shape.length + 1;
  }

  /** Channels-first copies already made, so two convolutions reading one tensor share a Transpose. */
  private readonly channelsFirstOf = new Map<string, string>();

  toChannelsFirst(): void {
    if (this.layout === 'channels-first') return;
    if (this.rank !== 4) throw new Error(`channels-first needs a rank-4 tensor, got rank ${this.rank}`);
    const source = this.current;
    const done = this.channelsFirstOf.get(source);
    if (done) this.current = done;
    else this.channelsFirstOf.set(source, this.op('Transpose', [source], [intsAttr('perm', TO_CHANNELS_FIRST)], 'to_nchw'));
    this.layout = 'channels-first';
  }

  toChannelsLast(): void {
    if (this.layout === 'channels-last') return;
    this.op('Transpose', [this.current], [intsAttr('perm', TO_CHANNELS_LAST)], 'to_nhwc');
    this.layout = 'channels-last';
  }
}
