import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { modelAliases, modelVersions, registeredModels } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { invalid, notFound } from '../../errors';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';
import { recordRegistryChange } from './registry-event-recorder';

async function modelOf(db: Db, actor: Actor, modelId: string) {
  const [model] = await db.select().from(registeredModels).where(eq(registeredModels.id, modelId));
  if (!model) throw notFound('registered model');
  await authorizeWorkspace(db, actor, model.workspaceId, 'model.alias');
  return model;
}

/** Points an alias (`production`, `staging`, …) at a version of the same model, moving it if it exists. */
export async function aliasSetter(db: Db, actor: Actor, modelId: string, input: { alias: string; versionId: string }) {
  const model = await modelOf(db, actor, modelId);
  const [version] = await db.select().from(modelVersions).where(eq(modelVersions.id, input.versionId));
  if (!version || version.modelId !== modelId) throw invalid(`version ${input.versionId} is not a version of ${model.name}`);
  const [before] = await db
    .select()
    .from(modelAliases)
    .where(and(eq(modelAliases.modelId, modelId), eq(modelAliases.alias, input.alias)));
  const userId = userIdOf(actor);
  await db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    await txDb
      .insert(modelAliases)
      .values({ modelId, alias: input.alias, versionId: input.versionId, updatedBy: userId })
      .onConflictDoUpdate({
        target: [modelAliases.modelId, modelAliases.alias],
        set: { versionId: input.versionId, updatedBy: userId, updatedAt: new Date() },
      });
    const data = { alias: input.alias, from: before?.versionId ?? null, to: input.versionId, version: version.version };
    await recordRegistryChange(txDb, {
      workspaceId: model.workspaceId,
      actorId: userId,
      action: 'alias.moved',
      subjectType: 'registered_model',
      subjectId: modelId,
      data,
      event: { type: 'alias.moved', model: { id: model.id, name: model.name }, version: { id: version.id, version: version.version } },
    });
  });
  return { modelId, alias: input.alias, versionId: input.versionId, version: version.version };
}

export async function aliasDeleter(db: Db, actor: Actor, modelId: string, alias: string) {
  const model = await modelOf(db, actor, modelId);
  const userId = userIdOf(actor);
  await db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    const removed = await txDb
      .delete(modelAliases)
      .where(and(eq(modelAliases.modelId, modelId), eq(modelAliases.alias, alias)))
      .returning();
    if (removed.length === 0) throw notFound(`alias "${alias}" on ${model.name}`);
    const data = { alias, was: removed[0]!.versionId };
    await recordRegistryChange(txDb, {
      workspaceId: model.workspaceId,
      actorId: userId,
      action: 'alias.deleted',
      subjectType: 'registered_model',
      subjectId: modelId,
      data,
      event: { type: 'alias.deleted', model: { id: model.id, name: model.name }, version: null },
    });
  });
  return { deleted: alias };
}

export async function aliasLister(db: Db, actor: Actor, modelId: string) {
  const [model] = await db.select().from(registeredModels).where(eq(registeredModels.id, modelId));
  if (!model) throw notFound('registered model');
  await authorizeWorkspace(db, actor, model.workspaceId, 'model.read');
  return db
    .select({
      alias: modelAliases.alias,
      versionId: modelAliases.versionId,
      version: modelVersions.version,
      updatedAt: modelAliases.updatedAt,
    })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(eq(modelAliases.modelId, modelId))
    .orderBy(modelAliases.alias);
}
