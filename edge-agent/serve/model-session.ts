import { readFileSync } from 'node:fs';

// One loaded ONNX model. onnxruntime-node when its binary loads (faster), else onnxruntime-web (wasm).

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

export class ModelSession {
  private constructor(
    private readonly ort: OrtLike,
    private readonly session: OrtSession,
    readonly versionId: string,
    readonly width: number,
  ) {}

  static async load(path: string, versionId: string, width: number): Promise<ModelSession> {
    const { ort } = await loadRuntime();
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(path)));
    return new ModelSession(ort, session, versionId, width);
  }

  async predict(rows: number[][]): Promise<number[][]> {
    const input = new this.ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, this.width]);
    const result = await this.session.run({ [this.session.inputNames[0]!]: input });
    const out = result[this.session.outputNames[0]!]!;
    const data = Array.from(out.data as Float32Array);
    const cols = data.length / rows.length;
    return rows.map((_, i) => data.slice(i * cols, (i + 1) * cols));
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
