// A TensorFlow.js LayersModel as plain data (model.toJSON(null, false) and its weights), so any process
// can export it without loading TensorFlow.js.
export interface WeightTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface LayersModelDescription {
  /** model.toJSON(null, false) (object or JSON string), or { class_name, config } as getConfig gives. */
  topology: unknown;
  /** model.getWeights() in order, named after model.weights[i].name. */
  weights: WeightTensor[];
}

export interface LayerConfig {
  class_name: string;
  config: Record<string, unknown> & { name?: string };
}

export class UnsupportedLayerError extends Error {
  constructor(
    readonly layerClass: string,
    readonly layerName: string,
    detail?: string,
  ) {
    super(`layer "${layerName}" (${layerClass}) cannot be exported to ONNX${detail ? `: ${detail}` : ''}`);
    this.name = 'UnsupportedLayerError';
  }
}

interface FunctionalLayer extends LayerConfig {
  name?: string;
  /** [[ [inboundLayerName, nodeIndex, tensorIndex, kwargs], … ], …]: one entry per call of the layer. */
  inbound_nodes?: unknown[][];
}

type KerasRef = [string, number, number];

interface ModelJson {
  class_name?: string;
  config?: { layers?: FunctionalLayer[]; input_layers?: KerasRef[]; output_layers?: KerasRef[] } | FunctionalLayer[];
}

/** One tensor of the Keras graph: the output `tensor` of call `node` of layer `layer`. */
export const tensorKey = (layer: string, node: number, tensor = 0) => `${layer}:${node}:${tensor}`;

/** A layer call: the layer, the tensors it reads and the one it produces. */
export interface LayerCall {
  layer: LayerConfig;
  inputs: string[];
  output: string;
}

/** A model as the exporter walks it: the graph inputs (input layers), the layer calls in an order where
 * every input is computed before it is read, and the graph outputs. */
export interface ModelPlan {
  inputs: Array<{ key: string; name: string; layer: LayerConfig }>;
  calls: LayerCall[];
  outputs: Array<{ key: string; name: string }>;
  /** Sequential models keep the exporter's fixed "input"/"output" names; Functional ones their Keras names. */
  functional: boolean;
}

function parseModel(topology: unknown): { layers: FunctionalLayer[]; model: ModelJson } {
  const t = (typeof topology === 'string' ? JSON.parse(topology) : topology) as { model_config?: unknown } | null;
  if (!t || typeof t !== 'object') throw new Error('not a tfjs LayersModel topology: expected an object');
  const model = (t.model_config ?? t) as ModelJson;
  const config = model.config;
  const layers = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(layers)) throw new Error('not a tfjs LayersModel topology: no layers found');
  for (const layer of layers)
    if (!layer || typeof layer.class_name !== 'string' || !layer.config || typeof layer.config !== 'object')
      throw new Error('not a tfjs LayersModel topology: a layer has no class_name or config');
  return { layers, model };
}

/** Every layer of the model (each once, however often it is called). */
export function layersOf(topology: unknown): LayerConfig[] {
  return parseModel(topology).layers;
}

const layerName = (l: FunctionalLayer) => String(l.name ?? l.config.name ?? '?');

export function planModel(topology: unknown): ModelPlan {
  const { layers, model } = parseModel(topology);
  const functional = layers.some((l) => Array.isArray(l.inbound_nodes));
  return functional ? functionalPlan(layers, model) : sequentialPlan(layers);
}

/** A Sequential model is a chain; its input is the first layer's batch_input_shape. */
function sequentialPlan(layers: FunctionalLayer[]): ModelPlan {
  const first = layers[0];
  if (!first) throw new Error('not a tfjs LayersModel topology: no layers found');
  const input =
    first.class_name === 'InputLayer' ? first : ({ class_name: 'InputLayer', config: { ...first.config, name: 'input' } } as LayerConfig);
  let previous = 'input';
  const calls: LayerCall[] = [];
  for (const layer of layers) {
    if (layer.class_name === 'InputLayer') continue;
    const output = tensorKey(layerName(layer), 0);
    calls.push({ layer, inputs: [previous], output });
    previous = output;
  }
  return {
    inputs: [{ key: 'input', name: 'input', layer: input }],
    calls,
    outputs: [{ key: previous, name: 'output' }],
    functional: false,
  };
}

function functionalPlan(layers: FunctionalLayer[], model: ModelJson): ModelPlan {
  const config = Array.isArray(model.config) ? {} : (model.config ?? {});
  const byName = new Map(layers.map((l) => [layerName(l), l]));
  const inputRefs = config.input_layers ?? layers.filter((l) => l.class_name === 'InputLayer').map((l) => [layerName(l), 0, 0] as KerasRef);
  const inputs = inputRefs.map(([name, node, tensor]) => {
    const layer = byName.get(String(name));
    if (!layer || layer.class_name !== 'InputLayer') throw new Error(`the model input ${String(name)} is not an InputLayer`);
    return { key: tensorKey(String(name), Number(node), Number(tensor)), name: String(name), layer };
  });
  const pending: LayerCall[] = [];
  for (const layer of layers) {
    if (layer.class_name === 'InputLayer') continue;
    (layer.inbound_nodes ?? []).forEach((call, node) => {
      if (!Array.isArray(call)) throw new Error(`layer ${layerName(layer)}: an inbound node is not a list`);
      const refs = call.map((r) => {
        const [source, sourceNode, tensor] = r as unknown[];
        return tensorKey(String(source), Number(sourceNode), Number(tensor ?? 0));
      });
      pending.push({ layer, inputs: refs, output: tensorKey(layerName(layer), node) });
    });
  }
  // Order the calls so each reads only computed tensors (config.layers is in order, shared layers' later calls may not be).
  const known = new Set(inputs.map((i) => i.key));
  const calls: LayerCall[] = [];
  while (pending.length > 0) {
    const index = pending.findIndex((c) => c.inputs.every((k) => known.has(k)));
    if (index < 0) throw new Error(`the model graph reads tensors no layer produces (${pending[0]!.inputs.join(', ')})`);
    const [call] = pending.splice(index, 1);
    calls.push(call!);
    known.add(call!.output);
  }
  const outputRefs = config.output_layers ?? [];
  const outputs = outputRefs.map(([name, node, tensor], i) => {
    const key = tensorKey(String(name), Number(node), Number(tensor));
    if (!known.has(key)) throw new Error(`the model output ${String(name)} is not computed by any layer`);
    // A layer called twice can give two outputs: the later ones get the node index.
    // An output that is a model input needs a name of its own.
    const taken = outputRefs.slice(0, i).some(([n]) => n === name) || inputs.some((input) => input.name === String(name));
    return { key, name: taken || Number(node) > 0 ? `${String(name)}_${Number(node)}` : String(name) };
  });
  if (outputs.length === 0) throw new Error('the model has no outputs');
  return { inputs, calls, outputs, functional: true };
}
