import type { LayersModelDescription } from './layers-model-description';

/**
 * The parts of a tfjs LayersModel the exporter reads, typed structurally so core never loads tfjs
 * (callers pass their own tf.LayersModel).
 */
export interface TfjsLayersModelLike {
  toJSON(unused?: null, returnString?: boolean): unknown;
  weights: ReadonlyArray<{ name: string }>;
  getWeights(): ReadonlyArray<{ shape: readonly number[]; dataSync(): ArrayLike<number> }>;
}

export function describeTfjsModel(model: TfjsLayersModelLike): LayersModelDescription {
  const topology = model.toJSON(null, false);
  const values = model.getWeights();
  if (values.length !== model.weights.length)
    throw new Error(`the model lists ${model.weights.length} weights but returned ${values.length} values`);
  return {
    topology: typeof topology === 'string' ? (JSON.parse(topology) as unknown) : topology,
    weights: values.map((w, i) => ({ name: model.weights[i]!.name, shape: [...w.shape], data: Float32Array.from(w.dataSync()) })),
  };
}
