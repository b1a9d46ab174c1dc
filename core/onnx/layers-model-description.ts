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

interface ModelJson {
  class_name?: string;
  config?: { layers?: FunctionalLayer[]; input_layers?: unknown[]; output_layers?: unknown[] } | FunctionalLayer[];
}

/** The layers of a Sequential model, or of a Functional model whose layers form one chain, input first. */
export function layersOf(topology: unknown): LayerConfig[] {
  const t = (typeof topology === 'string' ? JSON.parse(topology) : topology) as { model_config?: unknown } | null;
  if (!t || typeof t !== 'object') throw new Error('not a tfjs LayersModel topology: expected an object');
  const model = (t.model_config ?? t) as ModelJson;
  const config = model.config;
  const layers = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(layers)) throw new Error('not a tfjs LayersModel topology: no layers found');
  for (const layer of layers)
    if (!layer || typeof layer.class_name !== 'string' || !layer.config || typeof layer.config !== 'object')
      throw new Error('not a tfjs LayersModel topology: a layer has no class_name or config');
  const functional = layers.some((l) => Array.isArray(l.inbound_nodes));
  return functional ? chainOf(layers) : layers;
}

const layerName = (l: FunctionalLayer) => String(l.name ?? l.config.name ?? '?');

/**
 * Orders a Functional model's layers from its input to its output, refusing graphs that branch or merge:
 * the exporter keeps one running tensor, which is only sound for a chain.
 */
function chainOf(layers: FunctionalLayer[]): LayerConfig[] {
  const inputs = layers.filter((l) => (l.inbound_nodes ?? []).length === 0);
  if (inputs.length !== 1) throw new Error(`only single-input models can be exported (found ${inputs.length} inputs)`);
  const next = new Map<string, FunctionalLayer[]>();
  for (const layer of layers) {
    const calls = layer.inbound_nodes ?? [];
    if (calls.length === 0) continue;
    const inbound = calls[0];
    if (calls.length !== 1 || !Array.isArray(inbound) || inbound.length !== 1)
      throw new UnsupportedLayerError(
        layer.class_name,
        layerName(layer),
        'only linear chains of layers are supported (shared or merging layer)',
      );
    const source = String((inbound[0] as unknown[])[0]);
    next.set(source, [...(next.get(source) ?? []), layer]);
  }
  const chain: FunctionalLayer[] = [inputs[0]!];
  for (;;) {
    const current = chain[chain.length - 1]!;
    const followers = next.get(layerName(current)) ?? [];
    if (followers.length > 1)
      throw new UnsupportedLayerError(
        current.class_name,
        layerName(current),
        'only linear chains of layers are supported (its output branches)',
      );
    if (followers.length === 0) break;
    chain.push(followers[0]!);
  }
  if (chain.length !== layers.length)
    throw new Error('only linear chains of layers can be exported: some layers are not on the input → output path');
  return chain;
}
