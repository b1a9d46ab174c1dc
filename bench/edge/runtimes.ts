// The two onnxruntime builds the agent can serve with, loaded by name for side-by-side measurements.
export type RuntimeName = 'web' | 'node';

interface Ort {
  InferenceSession: {
    create(
      bytes: Uint8Array,
    ): Promise<{ inputNames: readonly string[]; run(feeds: Record<string, unknown>): Promise<unknown>; release(): Promise<void> }>;
  };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
}

export async function loadRuntimeFor(name: RuntimeName): Promise<Ort> {
  if (name === 'node') return (await import('onnxruntime-node')) as unknown as Ort;
  const web = await import('onnxruntime-web');
  web.env.wasm.numThreads = 1;
  return web as unknown as Ort;
}
