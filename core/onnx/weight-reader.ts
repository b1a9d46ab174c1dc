import { UnsupportedLayerError, type LayerConfig, type WeightTensor } from './layers-model-description';

/** Weights by layer and role: tfjs lists trainable weights before non-trainable ones, not layer by layer. */
export class WeightReader {
  private readonly used = new Set<WeightTensor>();
  /** A shared layer is converted once per call, with the same weights each time. */
  private readonly byRole = new Map<string, WeightTensor>();
  constructor(private readonly weights: WeightTensor[]) {}

  next(layer: LayerConfig, role: string, expectedShape?: number[]): WeightTensor {
    const name = `${String(layer.config.name)}/${role}`;
    const again = this.byRole.get(name);
    if (again) return again;
    // tfjs suffixes a repeated weight name with _1, _2, … when a model is rebuilt in the same process.
    const w = this.weights.find((x) => !this.used.has(x) && (x.name === name || x.name.startsWith(`${name}_`)));
    if (!w) throw new UnsupportedLayerError(layer.class_name, String(layer.config.name), `missing weight ${role}`);
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (w.data.length !== size) throw new Error(`weight ${w.name} has ${w.data.length} values for shape [${w.shape.join(', ')}]`);
    if (expectedShape && expectedShape.join(',') !== w.shape.join(','))
      throw new Error(`weight ${w.name} has shape [${w.shape.join(', ')}], expected [${expectedShape.join(', ')}]`);
    this.used.add(w);
    this.byRole.set(name, w);
    return w;
  }

  get remaining(): number {
    return this.weights.length - this.used.size;
  }
}
