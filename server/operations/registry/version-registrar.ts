import { and, eq, max } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { artifacts, modelVersions, registeredModels } from '../../../drizzle/schema';
import { recordRegistryChange } from './registry-event-recorder';

export interface NewVersion {
  workspaceId: string;
  modelName: string;
  description?: string;
  runId: string | null;
  sha256: string;
  size: number;
  signature: unknown;
  referenceProfile: unknown;
  sampleInput: unknown;
  sampleOutput: number[][];
  userId: string | null;
  /** What the audit entry records about where the version came from. */
  origin: Record<string, unknown>;
}

/** Registers a pending version of a model (creating the model on first use), numbered under a row lock. */
export async function versionRegistrar(db: Db, input: NewVersion) {
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    await tx.insert(artifacts).values({ sha256: input.sha256, size: input.size, mediaType: 'application/onnx' }).onConflictDoNothing();
    await tx
      .insert(registeredModels)
      .values({ workspaceId: input.workspaceId, name: input.modelName, description: input.description ?? '' })
      .onConflictDoNothing();
    const [model] = await tx
      .select()
      .from(registeredModels)
      .where(and(eq(registeredModels.workspaceId, input.workspaceId), eq(registeredModels.name, input.modelName)))
      .for('update');
    const [top] = await tx
      .select({ v: max(modelVersions.version) })
      .from(modelVersions)
      .where(eq(modelVersions.modelId, model!.id));
    const [version] = await tx
      .insert(modelVersions)
      .values({
        modelId: model!.id,
        version: (top?.v ?? 0) + 1,
        runId: input.runId,
        onnxSha256: input.sha256,
        size: input.size,
        signature: input.signature,
        referenceProfile: input.referenceProfile ?? null,
        sampleInput: input.sampleInput,
        sampleOutput: input.sampleOutput,
        createdBy: input.userId,
      })
      .returning();
    await recordRegistryChange(txDb, {
      workspaceId: input.workspaceId,
      actorId: input.userId,
      action: 'version.created',
      subjectType: 'model_version',
      subjectId: version!.id,
      data: { model: input.modelName, version: version!.version, sha256: input.sha256, size: input.size, ...input.origin },
      event: {
        type: 'model_version.created',
        model: { id: model!.id, name: model!.name },
        version: { id: version!.id, version: version!.version },
      },
    });
    return { model: model!, version: version! };
  });
}
