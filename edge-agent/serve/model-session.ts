import { readFileSync } from 'node:fs';
import type { Instance } from '../../core/contracts/api/device';

// One loaded ONNX model. onnxruntime-node when its binary loads (faster), else onnxruntime-web (wasm).
// Any ONNX model with one float input works: the shape of one instance comes from the model's signature
// ([batch, …]); an instance is sent as a flat or nested array of that many numbers.

interface OrtLike {
  InferenceSession: { create(bytes: Uint8Array): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
}
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown; dims: readonly number[] }>>;
  release(): Promise<void>;
}

let runtime: Promise<{ ort: OrtLike; backend: string }> | undefined;

export function loadRuntime(): Promise<{ ort: OrtLike; backend: string }> {
  return (runtime ??= (async () => {
    if (process.env.FERRY_AGENT_BACKEND !== 'wasm') {
      try {
        const ort = (await import('onnxruntime-node')) as unknown as OrtLike;
        return { ort, backend: 'onnxruntime-node (cpu)' };
      } catch (error) {
        console.warn(`onnxruntime-node not usable (${(error as Error).message.split('\n')[0]}); using onnxruntime-web (wasm)`);
      }
    }
    const web = await import('onnxruntime-web');
    web.env.wasm.numThreads = 1;
    return { ort: web as unknown as OrtLike, backend: 'onnxruntime-web (wasm)' };
  })());
}

/** Flattens one instance into `out` at `offset`; returns how many numbers it held. */
function flattenInto(value: Instance, out: number[]): void {
  if (typeof value === 'number') out.push(value);
  else for (const v of value) flattenInto(v, out);
}

export function instanceSize(shape: ReadonlyArray<number | string | null>): number | null {
  const dims = shape.slice(1);
  if (dims.length === 0 || dims.some((d) => typeof d !== 'number' || d <= 0)) return null;
  return (dims as number[]).reduce((a, b) => a * b, 1);
}

export class ModelSession {
  private constructor(
    private readonly ort: OrtLike,
    private readonly session: OrtSession,
    readonly versionId: string,
    /** Dims of one instance (without the batch axis). */
    readonly instanceDims: number[],
  ) {}

  /** Numbers in one instance. */
  get size(): number {
    return this.instanceDims.reduce((a, b) => a * b, 1);
  }

  /**
   * `inputShape` is the signature's ([batch, …]); when it has unknown dims, `fallbackWidth` (the width of
   * the manifest's sample rows) makes it [batch, width], the layout of tabular models.
   */
  static async load(
    path: string,
    versionId: string,
    inputShape: ReadonlyArray<number | string | null>,
    fallbackWidth?: number,
  ): Promise<ModelSession> {
    const { ort } = await loadRuntime();
    const size = instanceSize(inputShape);
    const dims = size !== null ? (inputShape.slice(1) as number[]) : [fallbackWidth ?? NaN];
    if (!dims.every((d) => Number.isInteger(d) && d > 0))
      throw new Error(`cannot tell the model's input shape from its signature ${JSON.stringify(inputShape)}`);
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(path)));
    return new ModelSession(ort, session, versionId, dims);
  }

  /** Flattens each instance; throws naming the first one of the wrong size. */
  flatten(instances: readonly Instance[]): Float32Array {
    const flat: number[] = [];
    for (let i = 0; i < instances.length; i++) {
      const before = flat.length;
      flattenInto(instances[i]!, flat);
      if (flat.length - before !== this.size)
        throw new RangeError(
          `instance ${i} has ${flat.length - before} numbers; the model expects shape [batch, ${this.instanceDims.join(', ')}] (${this.size} per instance)`,
        );
    }
    return Float32Array.from(flat);
  }

  async predict(instances: readonly Instance[]): Promise<number[][]> {
    return this.predictFlat(this.flatten(instances), instances.length);
  }

  async predictFlat(data: Float32Array, count: number): Promise<number[][]> {
    const input = new this.ort.Tensor('float32', data, [count, ...this.instanceDims]);
    const result = await this.session.run({ [this.session.inputNames[0]!]: input });
    const out = result[this.session.outputNames[0]!]!;
    const values = Array.from(out.data as Float32Array);
    const cols = values.length / count;
    return Array.from({ length: count }, (_, i) => values.slice(i * cols, (i + 1) * cols));
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
