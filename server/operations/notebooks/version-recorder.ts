import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { notebookVersions } from '../../../drizzle/schema';
import type { NotebookData } from '../../../core/contracts/notebook-schema';
import { canonicalNotebook, notebookContentHash } from '../../../core/notebook/content-hash';
import { outputsOf } from '../../../core/notebook/version-outputs';

type VersionKind = (typeof notebookVersions.$inferInsert)['kind'];

/**
 * Records an immutable, content-hashed version with the cells' outputs beside it. Automatic kinds
 * (checkpoint, execution) reuse the existing row for the same content, so runs of unchanged notebooks
 * share one version; a checkpoint refreshes that row's outputs.
 */
export async function versionRecorder(
  db: Db,
  input: { notebookId: string; data: NotebookData; kind: VersionKind; userId: string | null; name?: string; message?: string },
) {
  const contentHash = await notebookContentHash(input.data);
  const values = {
    notebookId: input.notebookId,
    kind: input.kind,
    contentHash,
    content: canonicalNotebook(input.data),
    outputs: outputsOf(input.data),
    createdBy: input.userId,
    name: input.name ?? null,
    message: input.message ?? null,
  };
  if (input.kind === 'named' || input.kind === 'restore') {
    const [row] = await db.insert(notebookVersions).values(values).returning();
    return row!;
  }
  const inserted = await db.insert(notebookVersions).values(values).onConflictDoNothing().returning();
  if (inserted[0]) return inserted[0];
  const same = and(
    eq(notebookVersions.notebookId, input.notebookId),
    eq(notebookVersions.kind, input.kind),
    eq(notebookVersions.contentHash, contentHash),
  );
  // A checkpoint of unchanged sources still takes the outputs as they are now: restore brings those.
  if (input.kind === 'checkpoint') {
    const [updated] = await db.update(notebookVersions).set({ outputs: values.outputs }).where(same).returning();
    if (updated) return updated;
  }
  const [existing] = await db
    .select()
    .from(notebookVersions)
    .where(
      and(
        eq(notebookVersions.notebookId, input.notebookId),
        eq(notebookVersions.kind, input.kind),
        eq(notebookVersions.contentHash, contentHash),
      ),
    );
  return existing!;
}
