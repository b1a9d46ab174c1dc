import { and, eq } from 'drizzle-orm';
import type { RunModelLog } from '../../../core/contracts/api/kernel-runs';
import type { Db } from '../../../drizzle/client';
import { artifacts, runArtifacts } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { invalid } from '../../errors';
import type { ArtifactStore } from '../../store/artifact-store';
import { authorizeRun } from './run-access';

export const TFJS_MODEL_KIND = 'tfjs-model';

/** Stores a trained tfjs model (topology + weights) as a content-addressed artifact of the run. */
export async function runModelLogger(db: Db, store: ArtifactStore, actor: Actor, runId: string, body: RunModelLog) {
  await authorizeRun(db, actor, runId, 'run.log');
  const width = body.sampleInput[0]!.length;
  if (body.sampleInput.some((r) => r.length !== width)) throw invalid('sampleInput rows must all have the same length');
  if (body.sampleOutput.length !== body.sampleInput.length) throw invalid('sampleOutput must have one row per sampleInput row');
  for (const w of body.weights) {
    const expected = w.shape.reduce((a, b) => a * b, 1) * 4;
    if (Buffer.from(w.dataBase64, 'base64').byteLength !== expected)
      throw invalid(`weight ${w.name}: data does not match shape [${w.shape}]`);
  }
  const bytes = new TextEncoder().encode(JSON.stringify({ topology: body.topology, weights: body.weights }));
  const { sha256, size } = await store.put(bytes);
  const path = `models/${(body.name ?? 'model').replace(/[^A-Za-z0-9_.-]/g, '_')}.tfjs.json`;
  await db.transaction(async (tx) => {
    await tx.insert(artifacts).values({ sha256, size, mediaType: 'application/vnd.ferry.tfjs-model+json' }).onConflictDoNothing();
    await tx.delete(runArtifacts).where(and(eq(runArtifacts.runId, runId), eq(runArtifacts.path, path)));
    await tx.insert(runArtifacts).values({
      runId,
      path,
      sha256,
      kind: TFJS_MODEL_KIND,
      metadata: {
        sampleInput: body.sampleInput,
        sampleOutput: body.sampleOutput,
        referenceProfile: body.referenceProfile,
        featureNames: body.featureNames ?? null,
      },
    });
  });
  return { artifactSha256: sha256, path };
}
