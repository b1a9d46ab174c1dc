import { onnx } from './onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { assertNever } from '../assert-never';
import {
  layersOf,
  UnsupportedLayerError,
  type LayerConfig,
  type LayersModelDescription,
  type WeightTensor,
} from './layers-model-description';

// tfjs LayersModel → ONNX ModelProto (IR 7, opset 13, float32, dynamic batch). Written here because no
// JavaScript exporter exists (the only one is Python's tf2onnx).

export const ONNX_IR_VERSION = 7;
export const ONNX_OPSET = 13;
export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'output';

type Activation = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear' | 'elu' | 'softplus' | 'softsign' | 'selu';
const ACTIVATION_OPS: Record<Exclude<Activation, 'linear'>, string> = {
  relu: 'Relu',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  softmax: 'Softmax',
  elu: 'Elu',
  softplus: 'Softplus',
  softsign: 'Softsign',
  selu: 'Selu',
};

class GraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private counter = 0;
  current = INPUT_NAME;

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  constant(name: string, dims: number[], data: Float32Array): string {
    this.initializers.push({
      name,
      dims,
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return name;
  }

  op(opType: string, inputs: string[], attributes: OnnxTypes.IAttributeProto[] = [], prefix = opType.toLowerCase()): string {
    const output = this.fresh(prefix);
    this.nodes.push({ opType, input: inputs, output: [output], name: output, attribute: attributes });
    this.current = output;
    return output;
  }
}

/** Weights by layer and role: tfjs lists trainable weights before non-trainable ones, not by layer. */
class WeightReader {
  private readonly used = new Set<WeightTensor>();
  constructor(private readonly weights: WeightTensor[]) {}
  next(layer: LayerConfig, what: string): WeightTensor {
    const name = `${layer.config.name}/${what}`;
    const w = this.weights.find((x) => !this.used.has(x) && (x.name === name || x.name.startsWith(`${name}_`)));
    if (!w) throw new UnsupportedLayerError(layer.class_name, String(layer.config.name), `missing weight ${what}`);
    this.used.add(w);
    return w;
  }
  get remaining(): number {
    return this.weights.length - this.used.size;
  }
}

function activation(g: GraphBuilder, layer: LayerConfig, name: string | undefined) {
  const act = (name ?? 'linear') as Activation;
  if (act === 'linear') return;
  const opType = ACTIVATION_OPS[act as Exclude<Activation, 'linear'>];
  if (!opType) throw new UnsupportedLayerError(layer.class_name, String(layer.config.name), `activation "${act}"`);
  const attrs = act === 'softmax' ? [intAttr('axis', -1)] : [];
  g.op(opType, [g.current], attrs);
}

const intAttr = (name: string, i: number): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
const floatAttr = (name: string, f: number): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f });

type SupportedLayer = 'InputLayer' | 'Dense' | 'Activation' | 'Dropout' | 'Flatten' | 'BatchNormalization';
const SUPPORTED: ReadonlySet<string> = new Set<SupportedLayer>([
  'InputLayer',
  'Dense',
  'Activation',
  'Dropout',
  'Flatten',
  'BatchNormalization',
]);

function addLayer(g: GraphBuilder, w: WeightReader, layer: LayerConfig): void {
  const kind = layer.class_name as SupportedLayer;
  const cfg = layer.config;
  switch (kind) {
    case 'InputLayer':
    case 'Dropout': // identity at inference
      return;
    case 'Flatten':
      g.op('Flatten', [g.current], [intAttr('axis', 1)]);
      return;
    case 'Activation':
      activation(g, layer, cfg.activation as string);
      return;
    case 'Dense': {
      const kernel = w.next(layer, 'kernel');
      const k = g.constant(`${cfg.name}_kernel`, kernel.shape, kernel.data);
      if (cfg.use_bias !== false) {
        const bias = w.next(layer, 'bias');
        const b = g.constant(`${cfg.name}_bias`, bias.shape, bias.data);
        g.op('Gemm', [g.current, k, b], [], 'dense');
      } else g.op('MatMul', [g.current, k], [], 'dense');
      activation(g, layer, cfg.activation as string);
      return;
    }
    case 'BatchNormalization': {
      const gamma = cfg.scale !== false ? w.next(layer, 'gamma') : null;
      const beta = cfg.center !== false ? w.next(layer, 'beta') : null;
      const mean = w.next(layer, 'moving_mean');
      const variance = w.next(layer, 'moving_variance');
      const n = mean.data.length;
      const ones = new Float32Array(n).fill(1);
      const zeros = new Float32Array(n);
      const prefix = String(cfg.name);
      g.op(
        'BatchNormalization',
        [
          g.current,
          g.constant(`${prefix}_gamma`, [n], gamma?.data ?? ones),
          g.constant(`${prefix}_beta`, [n], beta?.data ?? zeros),
          g.constant(`${prefix}_mean`, [n], mean.data),
          g.constant(`${prefix}_var`, [n], variance.data),
        ],
        [floatAttr('epsilon', Number(cfg.epsilon ?? 1e-3))],
        'batchnorm',
      );
      return;
    }
    default:
      assertNever(kind);
  }
}

function inputWidth(layers: LayerConfig[]): number {
  for (const layer of layers) {
    const shape = (layer.config.batch_input_shape ?? layer.config.batchInputShape) as Array<number | null> | undefined;
    if (shape) {
      if (shape.length !== 2)
        throw new UnsupportedLayerError(
          layer.class_name,
          String(layer.config.name),
          `input rank ${shape.length} (only [batch, features] inputs are supported)`,
        );
      return Number(shape[1]);
    }
  }
  throw new Error('the model has no input shape (build it with inputShape on its first layer)');
}

export function exportToOnnx(desc: LayersModelDescription, opts: { modelName?: string; producerVersion?: string } = {}): Uint8Array {
  const layers = layersOf(desc.topology);
  for (const layer of layers)
    if (!SUPPORTED.has(layer.class_name)) throw new UnsupportedLayerError(layer.class_name, String(layer.config.name ?? '?'));
  const width = inputWidth(layers);
  const g = new GraphBuilder();
  const weights = new WeightReader(desc.weights);
  for (const layer of layers) addLayer(g, weights, layer);
  if (weights.remaining !== 0) throw new Error(`${weights.remaining} weight tensors were not used: the topology and weights do not match`);
  // Name the graph output "output" whatever the last op was.
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
      input: [floatValueInfo(INPUT_NAME, ['batch', width])],
      output: [floatValueInfo(OUTPUT_NAME, ['batch', null])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function floatValueInfo(name: string, dims: Array<string | number | null>): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : d === null ? {} : { dimValue: d })) },
      },
    },
  };
}
