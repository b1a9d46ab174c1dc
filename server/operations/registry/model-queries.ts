import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { modelVersions, notebookVersions, registeredModels, runs } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { authorizeWorkspace, workspacesOf } from '../../policies/authorize';
import { versionInWorkspace } from './version-decisions';

export async function modelLister(db: Db, actor: Actor, workspaceId?: string) {
  if (workspaceId) await authorizeWorkspace(db, actor, workspaceId, 'model.read');
  const mine = workspacesOf(db, actor);
  const models = await db
    .select()
    .from(registeredModels)
    .where(workspaceId ? eq(registeredModels.workspaceId, workspaceId) : inArray(registeredModels.workspaceId, mine))
    .orderBy(desc(registeredModels.updatedAt));
  if (models.length === 0) return [];
  const versions = await db
    .select({
      id: modelVersions.id,
      modelId: modelVersions.modelId,
      version: modelVersions.version,
      status: modelVersions.status,
      runId: modelVersions.runId,
      size: modelVersions.size,
      createdAt: modelVersions.createdAt,
      onnxSha256: modelVersions.onnxSha256,
    })
    .from(modelVersions)
    .where(
      inArray(
        modelVersions.modelId,
        models.map((m) => m.id),
      ),
    )
    .orderBy(desc(modelVersions.version));
  return models.map((m) => ({ ...m, versions: versions.filter((v) => v.modelId === m.id) }));
}

/** A version with its lineage: run → notebook version → notebook. */
export async function versionGetter(db: Db, actor: Actor, versionId: string) {
  const { version, model } = await versionInWorkspace(db, actor, versionId, 'model.read');
  const [run] = version.runId ? await db.select().from(runs).where(eq(runs.id, version.runId)) : [];
  const [nbVersion] = run?.notebookVersionId
    ? await db
        .select({
          id: notebookVersions.id,
          contentHash: notebookVersions.contentHash,
          createdAt: notebookVersions.createdAt,
          notebookId: notebookVersions.notebookId,
        })
        .from(notebookVersions)
        .where(eq(notebookVersions.id, run.notebookVersionId))
    : [];
  return {
    ...version,
    model: { id: model.id, name: model.name },
    lineage: {
      run: run ? { id: run.id, name: run.name, cellId: run.cellId, sourceHash: run.sourceHash, status: run.status } : null,
      notebookVersion: nbVersion ?? null,
    },
  };
}
