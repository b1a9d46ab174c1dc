import * as ort from 'onnxruntime-web';

export const PARITY_TOLERANCE = 1e-4;

/** Runs the ONNX model on the recorded sample input; returns the largest difference from the recorded output. */
export async function onnxParity(bytes: Uint8Array, sampleInput: number[][], sampleOutput: number[][]): Promise<number> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes);
  try {
    const width = sampleInput[0]!.length;
    const input = new ort.Tensor('float32', Float32Array.from(sampleInput.flat()), [sampleInput.length, width]);
    // Sequential exports are "input"/"output", Functional ones keep their Keras names: read them from the model.
    const result = await session.run({ [session.inputNames[0]!]: input });
    const got = result[session.outputNames[0]!]!.data as Float32Array;
    const expected = sampleOutput.flat();
    if (got.length !== expected.length) return Infinity;
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
    return worst;
  } finally {
    await session.release();
  }
}
