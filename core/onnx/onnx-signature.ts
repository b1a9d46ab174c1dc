import { onnx } from './onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

// What a model takes and gives, read from the ONNX graph: names, element types and shapes.
export interface TensorSignature {
  name: string;
  dtype: string;
  shape: Array<number | string | null>;
}
export interface OnnxSignature {
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  opset: number;
  irVersion: number;
}

export function readOnnxSignature(bytes: Uint8Array): OnnxSignature {
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new Error(`not an ONNX model: ${(error as Error).message}`);
  }
  if (!model.graph) throw new Error('not an ONNX model: no graph');
  const initializers = new Set((model.graph.initializer ?? []).map((t) => t.name));
  const describe = (v: OnnxTypes.IValueInfoProto): TensorSignature => ({
    name: v.name ?? '',
    dtype: onnx.TensorProto.DataType[v.type?.tensorType?.elemType ?? 0]?.toLowerCase() ?? 'unknown',
    shape: (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue != null ? Number(d.dimValue) : null)),
  });
  return {
    inputs: (model.graph.input ?? []).filter((i) => !initializers.has(i.name ?? '')).map(describe),
    outputs: (model.graph.output ?? []).map(describe),
    opset: Number(model.opsetImport?.find((o) => !o.domain)?.version ?? 0),
    irVersion: Number(model.irVersion ?? 0),
  };
}
