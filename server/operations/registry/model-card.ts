import { eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { modelVersions } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { userIdOf } from '../../policies/authorize';
import { audit } from './audit';
import { versionInWorkspace } from './version-decisions';

/** The model card (markdown: intended use, limits, training data) is editable by editors; the audit log keeps each text. */
export async function modelCardUpdater(db: Db, actor: Actor, versionId: string, description: string) {
  const { model } = await versionInWorkspace(db, actor, versionId, 'model.promote');
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    const [updated] = await txDb.update(modelVersions).set({ description }).where(eq(modelVersions.id, versionId)).returning({
      id: modelVersions.id,
      description: modelVersions.description,
    });
    await audit(txDb, {
      workspaceId: model.workspaceId,
      actorId: userIdOf(actor),
      action: 'version.card-updated',
      subjectType: 'model_version',
      subjectId: versionId,
      data: { description },
    });
    return updated!;
  });
}
