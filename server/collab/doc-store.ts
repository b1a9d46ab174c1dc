import { and, asc, eq, lte, max, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '../../drizzle/client';
import { notebooks, notebookSnapshots, notebookUpdates } from '../../drizzle/schema';

// Durable notebook documents: an append-only update log folded now and then into a snapshot. Yjs
// updates merge in any order, so folding never changes what a reconnecting client merges into.

export interface StoredDoc {
  update: Uint8Array;
  epoch: string | null;
  pendingUpdates: number;
}

export async function loadStoredDoc(db: Db, notebookId: string): Promise<StoredDoc> {
  const [snapshot] = await db.select().from(notebookSnapshots).where(eq(notebookSnapshots.notebookId, notebookId));
  const rows = await db
    .select({ update: notebookUpdates.update })
    .from(notebookUpdates)
    .where(eq(notebookUpdates.notebookId, notebookId))
    .orderBy(asc(notebookUpdates.seq));
  const parts = [...(snapshot ? [snapshot.state] : []), ...rows.map((r) => r.update)];
  return {
    update: parts.length ? Y.mergeUpdates(parts) : new Uint8Array([0, 0]),
    epoch: snapshot?.epoch ?? null,
    pendingUpdates: rows.length,
  };
}

export async function appendUpdate(db: Db, notebookId: string, update: Uint8Array): Promise<void> {
  await db.insert(notebookUpdates).values({ notebookId, update });
}

/** Folds every stored update into the snapshot, in one transaction. */
export async function compactStoredDoc(db: Db, notebookId: string): Promise<number> {
  return db.transaction(async (tx) => {
    const [top] = await tx
      .select({ seq: max(notebookUpdates.seq) })
      .from(notebookUpdates)
      .where(eq(notebookUpdates.notebookId, notebookId));
    const upTo = top?.seq;
    if (upTo === null || upTo === undefined) return 0;
    const [snapshot] = await tx.select().from(notebookSnapshots).where(eq(notebookSnapshots.notebookId, notebookId)).for('update');
    const rows = await tx
      .select({ update: notebookUpdates.update })
      .from(notebookUpdates)
      .where(and(eq(notebookUpdates.notebookId, notebookId), lte(notebookUpdates.seq, upTo)))
      .orderBy(asc(notebookUpdates.seq));
    const state = Y.mergeUpdates([...(snapshot ? [snapshot.state] : []), ...rows.map((r) => r.update)]);
    await tx
      .insert(notebookSnapshots)
      .values({ notebookId, state, upToSeq: Number(upTo) })
      .onConflictDoUpdate({ target: notebookSnapshots.notebookId, set: { state, upToSeq: Number(upTo), updatedAt: sql`now()` } });
    await tx.delete(notebookUpdates).where(and(eq(notebookUpdates.notebookId, notebookId), lte(notebookUpdates.seq, upTo)));
    return rows.length;
  });
}

/** Marks the notebook as edited now by this user (the notebook list's "edited … by …"). */
export async function markEdited(db: Db, notebookId: string, userId: string): Promise<void> {
  await db.update(notebooks).set({ updatedAt: new Date(), updatedBy: userId }).where(eq(notebooks.id, notebookId));
}
