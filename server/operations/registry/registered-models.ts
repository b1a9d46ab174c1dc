import { and, asc, eq, gt, ilike, inArray, or } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { deployments, modelAliases, modelVersions, registeredModels } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { AppError, conflict, notFound } from '../../errors';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';
import { decodePageToken, encodePageToken } from '../tracking/page-token';
import { audit } from './audit';

// Registered models by name (the MLflow registry's handle), within one workspace.

export async function registeredModelByName(db: Db, actor: Actor, workspaceId: string, name: string) {
  await authorizeWorkspace(db, actor, workspaceId, 'model.read');
  const [model] = await db
    .select()
    .from(registeredModels)
    .where(and(eq(registeredModels.workspaceId, workspaceId), eq(registeredModels.name, name)));
  if (!model) throw notFound(`registered model "${name}"`);
  return model;
}

export async function registeredModelCreator(
  db: Db,
  actor: Actor,
  input: { workspaceId: string; name: string; description?: string; tags?: Record<string, string> },
) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'model.promote');
  const [model] = await db
    .insert(registeredModels)
    .values({ workspaceId: input.workspaceId, name: input.name, description: input.description ?? '', tags: input.tags ?? {} })
    .onConflictDoNothing()
    .returning();
  if (!model) throw new AppError('CONFLICT', `a registered model named "${input.name}" already exists`);
  await audit(db, {
    workspaceId: input.workspaceId,
    actorId: userIdOf(actor),
    action: 'model.created',
    subjectType: 'registered_model',
    subjectId: model.id,
  });
  return model;
}

export async function registeredModelSearcher(
  db: Db,
  actor: Actor,
  input: { workspaceId: string; nameLike?: string; maxResults: number; pageToken?: string },
) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'model.read');
  const after = decodePageToken<[string]>(input.pageToken);
  const rows = await db
    .select()
    .from(registeredModels)
    .where(
      and(
        eq(registeredModels.workspaceId, input.workspaceId),
        input.nameLike ? ilike(registeredModels.name, input.nameLike) : undefined,
        after ? gt(registeredModels.name, after[0]) : undefined,
      ),
    )
    .orderBy(asc(registeredModels.name))
    .limit(input.maxResults + 1);
  const page = rows.slice(0, input.maxResults);
  return { models: page, nextPageToken: rows.length > input.maxResults ? encodePageToken([page[page.length - 1]!.name]) : null };
}

/** Rename, describe, tag or untag a registered model (approvers rename; editors describe and tag). */
export async function registeredModelUpdater(
  db: Db,
  actor: Actor,
  workspaceId: string,
  name: string,
  change: { newName?: string; description?: string; setTag?: { key: string; value: string }; deleteTag?: string },
) {
  const model = await registeredModelByName(db, actor, workspaceId, name);
  await authorizeWorkspace(db, actor, workspaceId, change.newName ? 'model.alias' : 'model.promote');
  const tags = { ...model.tags };
  if (change.setTag) tags[change.setTag.key] = change.setTag.value;
  if (change.deleteTag !== undefined) {
    if (!(change.deleteTag in tags)) throw notFound(`tag "${change.deleteTag}" on ${name}`);
    delete tags[change.deleteTag];
  }
  const [updated] = await db
    .update(registeredModels)
    .set({ name: change.newName ?? model.name, description: change.description ?? model.description, tags, updatedAt: new Date() })
    .where(eq(registeredModels.id, model.id))
    .returning()
    .catch((error: unknown) => {
      if (/unique|duplicate/i.test((error as Error).message))
        throw new AppError('CONFLICT', `a registered model named "${change.newName}" already exists`);
      throw error;
    });
  if (change.newName)
    await audit(db, {
      workspaceId,
      actorId: userIdOf(actor),
      action: 'model.renamed',
      subjectType: 'registered_model',
      subjectId: model.id,
      data: { from: name, to: change.newName },
    });
  return updated!;
}

/** Deletes a model and its versions, unless a device group still runs one of them. */
export async function registeredModelDeleter(db: Db, actor: Actor, workspaceId: string, name: string) {
  const model = await registeredModelByName(db, actor, workspaceId, name);
  await authorizeWorkspace(db, actor, workspaceId, 'model.deploy');
  const live = await db
    .select({ group: deployments.group })
    .from(deployments)
    .innerJoin(modelVersions, eq(modelVersions.id, deployments.modelVersionId))
    .where(and(eq(modelVersions.modelId, model.id), inArray(deployments.status, ['active', 'halted'])));
  if (live.length)
    throw conflict(`"${name}" is deployed to group ${live.map((l) => l.group).join(', ')}; deploy something else there first`);
  await db.delete(registeredModels).where(eq(registeredModels.id, model.id));
  await audit(db, {
    workspaceId,
    actorId: userIdOf(actor),
    action: 'model.deleted',
    subjectType: 'registered_model',
    subjectId: model.id,
    data: { name },
  });
}

export async function versionByNumber(db: Db, actor: Actor, workspaceId: string, name: string, version: number) {
  const model = await registeredModelByName(db, actor, workspaceId, name);
  const [row] = await db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, version)));
  if (!row) throw notFound(`version ${version} of "${name}"`);
  return { model, version: row };
}

export async function versionSearcher(
  db: Db,
  actor: Actor,
  input: { workspaceId: string; name?: string; runId?: string; maxResults: number; pageToken?: string },
) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'model.read');
  const after = decodePageToken<[string, number]>(input.pageToken);
  const rows = await db
    .select({ version: modelVersions, model: registeredModels })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(
      and(
        eq(registeredModels.workspaceId, input.workspaceId),
        input.name ? eq(registeredModels.name, input.name) : undefined,
        input.runId ? eq(modelVersions.runId, input.runId) : undefined,
        after
          ? or(gt(registeredModels.name, after[0]), and(eq(registeredModels.name, after[0]), gt(modelVersions.version, after[1])))
          : undefined,
      ),
    )
    .orderBy(asc(registeredModels.name), asc(modelVersions.version))
    .limit(input.maxResults + 1);
  const page = rows.slice(0, input.maxResults);
  const last = page[page.length - 1];
  return {
    versions: page,
    nextPageToken: rows.length > input.maxResults && last ? encodePageToken([last.model.name, last.version.version]) : null,
  };
}

export async function versionUpdater(
  db: Db,
  actor: Actor,
  workspaceId: string,
  name: string,
  version: number,
  change: { description?: string; setTag?: { key: string; value: string }; deleteTag?: string },
) {
  const found = await versionByNumber(db, actor, workspaceId, name, version);
  await authorizeWorkspace(db, actor, workspaceId, 'model.promote');
  const tags = { ...found.version.tags };
  if (change.setTag) tags[change.setTag.key] = change.setTag.value;
  if (change.deleteTag !== undefined) {
    if (!(change.deleteTag in tags)) throw notFound(`tag "${change.deleteTag}" on ${name} v${version}`);
    delete tags[change.deleteTag];
  }
  const [updated] = await db
    .update(modelVersions)
    .set({ description: change.description ?? found.version.description, tags })
    .where(eq(modelVersions.id, found.version.id))
    .returning();
  return { model: found.model, version: updated! };
}

export async function aliasesOf(db: Db, modelIds: string[]) {
  if (modelIds.length === 0) return [];
  return db
    .select({ modelId: modelAliases.modelId, alias: modelAliases.alias, version: modelVersions.version })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(inArray(modelAliases.modelId, modelIds));
}
