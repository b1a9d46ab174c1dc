import * as tf from '@tensorflow/tfjs';
import { describeTfjsModel } from '../../core/onnx/describe-tfjs-model';
import { exportToOnnx } from '../../core/onnx/export-to-onnx';

/** A small real model (Dense 4→8 relu → 1) as ONNX bytes; `seed` makes versions differ. */
export function buildOnnxMlp(seed = 1): Uint8Array {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [4],
        units: 8,
        activation: 'relu',
        kernelInitializer: tf.initializers.randomUniform({ seed, minval: -1, maxval: 1 }),
      }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.randomUniform({ seed: seed + 1000, minval: -1, maxval: 1 }) }),
    ],
  });
  const bytes = exportToOnnx(describeTfjsModel(model));
  model.dispose();
  return bytes;
}

export const MLP_SAMPLE = [
  [0.1, 0.2, 0.3, 0.4],
  [1, -1, 0.5, 2],
];

/** Uploads ONNX bytes as a version, approves and returns it. */
export async function uploadApproved(
  api: { post(path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> }, // eslint-disable-line @typescript-eslint/no-explicit-any
  workspaceId: string,
  modelName: string,
  bytes: Uint8Array,
  sampleInput: unknown[] = MLP_SAMPLE,
  extra: Record<string, unknown> = {},
) {
  const up = await api.post('/api/models/upload', {
    workspaceId,
    modelName,
    onnxBase64: Buffer.from(bytes).toString('base64'),
    sampleInput,
    ...extra,
  });
  if (up.status !== 201) throw new Error(`upload failed: ${up.status} ${JSON.stringify(up.json)}`);
  const versionId = up.json.version.id as string;
  const approved = await api.post(`/api/model-versions/${versionId}/approve`, { comment: 'test' });
  if (approved.status !== 200) throw new Error(`approve failed: ${JSON.stringify(approved.json)}`);
  return { versionId, modelId: up.json.model.id as string, sampleOutput: up.json.version.sampleOutput as number[][] };
}
