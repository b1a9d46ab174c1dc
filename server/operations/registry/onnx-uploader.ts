import * as ort from 'onnxruntime-web';
import type { OnnxUpload } from '../../../core/contracts/api/registry';
import type { Instance } from '../../../core/contracts/api/device';
import { readOnnxSignature, type OnnxSignature } from '../../../core/onnx/onnx-signature';
import type { Db } from '../../../drizzle/client';
import type { Actor } from '../../auth/actor';
import { AppError, invalid } from '../../errors';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';
import type { ArtifactStore } from '../../store/artifact-store';
import { versionRegistrar } from './version-registrar';

function flatten(value: Instance, out: number[]): void {
  if (typeof value === 'number') out.push(value);
  else for (const v of value) flatten(v, out);
}

/** Runs the uploaded model on its sample input: proof it loads, and the golden output devices check against. */
async function sampleOutputOf(bytes: Uint8Array, signature: OnnxSignature, sampleInput: Instance[]): Promise<number[][]> {
  const input = signature.inputs[0]!;
  const dims = input.shape.slice(1);
  const flat: number[] = [];
  for (const instance of sampleInput) flatten(instance, flat);
  const per = flat.length / sampleInput.length;
  const known = dims.every((d): d is number => typeof d === 'number' && d > 0) ? (dims as number[]) : null;
  const instanceDims = known ?? [per];
  const expected = instanceDims.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(per) || per !== expected)
    throw invalid(
      `sampleInput instances must each hold ${expected} numbers (input "${input.name}" has shape ${JSON.stringify(input.shape)})`,
    );
  ort.env.wasm.numThreads = 1;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (error) {
    throw new AppError('UNSUPPORTED', `onnxruntime cannot load this model: ${(error as Error).message}`);
  }
  try {
    const result = await session.run({
      [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(flat), [sampleInput.length, ...instanceDims]),
    });
    const data = Array.from(result[session.outputNames[0]!]!.data as Float32Array);
    const cols = data.length / sampleInput.length;
    return sampleInput.map((_, i) => data.slice(i * cols, (i + 1) * cols));
  } catch (error) {
    throw new AppError('UNSUPPORTED', `the model does not run on the sample input: ${(error as Error).message}`);
  } finally {
    await session.release();
  }
}

/**
 * Registers an ONNX file made anywhere (PyTorch's torch.onnx.export, tf2onnx, …) as a pending version:
 * its signature is read from the graph and its output on the sample input becomes the devices' health check.
 */
export async function onnxUploader(db: Db, store: ArtifactStore, actor: Actor, input: OnnxUpload) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'model.promote');
  const bytes = new Uint8Array(Buffer.from(input.onnxBase64, 'base64'));
  if (bytes.byteLength === 0) throw invalid('onnxBase64 is empty');
  let signature: OnnxSignature;
  try {
    signature = readOnnxSignature(bytes);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  if (signature.inputs.length !== 1)
    throw new AppError(
      'UNSUPPORTED',
      `Ferry serves models with one input; this one has ${signature.inputs.length} (${signature.inputs.map((i) => i.name).join(', ')})`,
    );
  if (signature.inputs[0]!.dtype !== 'float')
    throw new AppError('UNSUPPORTED', `the model's input must be float32; it is ${signature.inputs[0]!.dtype}`);
  const sampleOutput = await sampleOutputOf(bytes, signature, input.sampleInput);
  const { sha256, size } = await store.put(bytes);
  const { model, version } = await versionRegistrar(db, {
    workspaceId: input.workspaceId,
    modelName: input.modelName,
    description: input.description,
    runId: null,
    sha256,
    size,
    signature,
    referenceProfile: input.referenceProfile ?? null,
    sampleInput: input.sampleInput,
    sampleOutput,
    userId: userIdOf(actor),
    origin: { upload: true, opset: signature.opset },
  });
  return {
    model: { id: model.id, name: model.name },
    version: { id: version.id, version: version.version, status: version.status, signature, sampleOutput },
  };
}
