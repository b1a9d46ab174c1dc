import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { runArtifacts } from '../../../drizzle/schema';
import { exportToOnnx } from '../../../core/onnx/export-to-onnx';
import { UnsupportedLayerError, type LayersModelDescription } from '../../../core/onnx/layers-model-description';
import { readOnnxSignature } from '../../../core/onnx/onnx-signature';
import type { Actor } from '../../auth/actor';
import { AppError, invalid } from '../../errors';
import { userIdOf } from '../../policies/authorize';
import type { ArtifactStore } from '../../store/artifact-store';
import { authorizeRun } from '../tracking/run-access';
import { TFJS_MODEL_KIND } from '../tracking/run-model-logger';
import { onnxParity, PARITY_TOLERANCE } from './onnx-parity';
import { trainingReferenceFromRunData } from './training-reference';
import { versionRegistrar } from './version-registrar';

interface ModelArtifactMeta {
  sampleInput: number[][];
  sampleOutput: number[][];
  referenceProfile: unknown;
  featureNames: string[] | null;
}

/**
 * Run → registered model version: export the run's tfjs model to ONNX, prove the ONNX model gives the
 * tfjs outputs on the recorded sample, then register it as a pending version. All or nothing.
 */
export async function runPromoter(
  db: Db,
  store: ArtifactStore,
  actor: Actor,
  input: { runId: string; modelName: string; description?: string },
) {
  const run = await authorizeRun(db, actor, input.runId, 'model.promote');
  const [artifact] = await db
    .select()
    .from(runArtifacts)
    .where(and(eq(runArtifacts.runId, run.id), eq(runArtifacts.kind, TFJS_MODEL_KIND)))
    .orderBy(desc(runArtifacts.createdAt))
    .limit(1);
  if (!artifact) throw invalid('this run logged no model: call ferry.logModel(model, { sampleInput }) in the cell');
  const meta = artifact.metadata as ModelArtifactMeta;
  const onnxBytes = await exportArtifact(store, artifact.sha256);
  const diff = await onnxParity(onnxBytes, meta.sampleInput, meta.sampleOutput).catch((error: unknown) => {
    throw new AppError('UNSUPPORTED', `onnxruntime could not run the exported model: ${(error as Error).message}`);
  });
  if (!(diff <= PARITY_TOLERANCE))
    throw new AppError(
      'UNSUPPORTED',
      `the ONNX export differs from the tfjs model by ${diff.toExponential(2)} on the sample input (tolerance ${PARITY_TOLERANCE})`,
    );
  const signature = readOnnxSignature(onnxBytes);
  const fromData = meta.referenceProfile ? null : await trainingReferenceFromRunData(db, store, run.id, meta.featureNames);
  const { sha256, size } = await store.put(onnxBytes);
  const userId = userIdOf(actor);

  const { model, version } = await versionRegistrar(db, {
    workspaceId: run.workspaceId,
    modelName: input.modelName,
    description: input.description,
    runId: run.id,
    sha256,
    size,
    signature,
    referenceProfile: meta.referenceProfile ?? fromData?.profile ?? null,
    sampleInput: meta.sampleInput,
    sampleOutput: meta.sampleOutput,
    userId,
    origin: { runId: run.id, parity: diff, referenceFrom: meta.referenceProfile ? 'trainingData' : (fromData?.dataset ?? null) },
  });
  return { model, version, parity: diff };
}

async function exportArtifact(store: ArtifactStore, sha256: string): Promise<Uint8Array> {
  const bytes = await store.get(sha256);
  if (!bytes) throw new AppError('NOT_FOUND', `model artifact ${sha256} is missing from the artifact store`);
  let desc: LayersModelDescription;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as {
      topology: unknown;
      weights: Array<{ name: string; shape: number[]; dataBase64: string }>;
    };
    desc = {
      topology: parsed.topology,
      weights: parsed.weights.map((w) => {
        const buf = Buffer.from(w.dataBase64, 'base64');
        return { name: w.name, shape: w.shape, data: new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)) };
      }),
    };
  } catch (error) {
    throw new AppError('UNSUPPORTED', `the stored model artifact is corrupt: ${(error as Error).message}`);
  }
  try {
    return exportToOnnx(desc);
  } catch (error) {
    if (error instanceof UnsupportedLayerError)
      throw new AppError('UNSUPPORTED', error.message, { layer: error.layerName, class: error.layerClass });
    throw new AppError('UNSUPPORTED', `export failed: ${(error as Error).message}`);
  }
}
