// A TensorFlow.js LayersModel as plain data (model.toJSON(null, false) and its weights), so any process
// can export it without loading TensorFlow.js.
export interface WeightTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface LayersModelDescription {
  topology: unknown;
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
    super(`layer ${layerName} (${layerClass}) cannot be exported to ONNX${detail ? `: ${detail}` : ''}`);
    this.name = 'UnsupportedLayerError';
  }
}

/** The layers of a Sequential model, or of a Functional model whose layers form one chain. */
export function layersOf(topology: unknown): LayerConfig[] {
  const t = (typeof topology === 'string' ? JSON.parse(topology) : topology) as {
    model_config?: unknown;
    class_name?: string;
    config?: unknown;
  };
  const model = (t.model_config ?? t) as { class_name?: string; config?: { layers?: LayerConfig[] } | LayerConfig[] };
  const config = model.config;
  const layers = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(layers)) throw new Error('not a tfjs LayersModel topology: no layers found');
  return layers;
}
