import { outputChanges, outputsOf, type VersionOutputs } from '../../../core/notebook/version-outputs';
import { desc, eq } from 'drizzle-orm';
import { cellTypeSchema } from '../../../core/contracts/notebook-schema';
import { cellsOf, createYCell, notebookToData } from '../../../core/notebook/notebook-doc';
import { diffNotebooks, sourceText, type DiffCell } from '../../../core/notebook/notebook-diff';
import { notebookVersions, users } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import type { AppContext } from '../../context';
import { invalid, notFound } from '../../errors';
import { authorizeNotebook, userIdOf } from '../../policies/authorize';
import { versionRecorder } from './version-recorder';

// A notebook's history: named versions (Ctrl/Cmd+S), automatic checkpoints and execution versions;
// diff of any two (or one against the live document); restore, which first checkpoints the live
// document and then records the restored content as a new version, so nothing is ever overwritten.

export const CURRENT = 'current';

export async function namedVersionSaver(ctx: AppContext, actor: Actor, notebookId: string, input: { name: string; message?: string }) {
  await authorizeNotebook(ctx.db, actor, notebookId, 'notebook.edit');
  const doc = await ctx.collab.readNotebook(notebookId);
  try {
    const version = await versionRecorder(ctx.db, {
      notebookId,
      data: notebookToData(doc),
      kind: 'named',
      userId: userIdOf(actor),
      ...input,
    });
    return { id: version.id, kind: version.kind, name: version.name, contentHash: version.contentHash, createdAt: version.createdAt };
  } finally {
    doc.destroy();
  }
}

export async function notebookVersionLister(ctx: AppContext, actor: Actor, notebookId: string) {
  await authorizeNotebook(ctx.db, actor, notebookId, 'notebook.read');
  return ctx.db
    .select({
      id: notebookVersions.id,
      kind: notebookVersions.kind,
      name: notebookVersions.name,
      message: notebookVersions.message,
      contentHash: notebookVersions.contentHash,
      createdAt: notebookVersions.createdAt,
      authorName: users.name,
    })
    .from(notebookVersions)
    .leftJoin(users, eq(users.id, notebookVersions.createdBy))
    .where(eq(notebookVersions.notebookId, notebookId))
    .orderBy(desc(notebookVersions.createdAt))
    .limit(500);
}

async function cellsAt(ctx: AppContext, notebookId: string, ref: string): Promise<DiffCell[]> {
  if (ref === CURRENT) {
    const doc = await ctx.collab.readNotebook(notebookId);
    try {
      return notebookToData(doc).cells.map((c) => ({ id: c.id, cell_type: c.cell_type, source: c.source }));
    } finally {
      doc.destroy();
    }
  }
  const content = await storedContent(ctx, notebookId, ref);
  return content.cells.map((c) => ({ id: c.id, cell_type: c.cell_type, source: sourceText(c.source) }));
}

/** The outputs at a version (kept beside it) or in the live document. */
async function outputsAt(ctx: AppContext, notebookId: string, ref: string): Promise<VersionOutputs | null> {
  if (ref === CURRENT) {
    const doc = await ctx.collab.readNotebook(notebookId);
    try {
      return outputsOf(notebookToData(doc));
    } finally {
      doc.destroy();
    }
  }
  const [row] = await ctx.db.select({ outputs: notebookVersions.outputs }).from(notebookVersions).where(eq(notebookVersions.id, ref));
  return row?.outputs ?? null;
}

interface StoredContent {
  cells: Array<{ id: string; cell_type: string; source: string | string[]; metadata?: Record<string, unknown> }>;
}

async function storedContent(ctx: AppContext, notebookId: string, versionId: string): Promise<StoredContent> {
  const [row] = await ctx.db.select().from(notebookVersions).where(eq(notebookVersions.id, versionId));
  if (!row || row.notebookId !== notebookId) throw notFound(`version ${versionId} of this notebook`);
  return row.content as StoredContent;
}

export async function notebookVersionDiffer(ctx: AppContext, actor: Actor, notebookId: string, from: string, to: string) {
  await authorizeNotebook(ctx.db, actor, notebookId, 'notebook.read');
  if (from === to) throw invalid('pick two different versions to compare');
  const [a, b, outA, outB] = await Promise.all([
    cellsAt(ctx, notebookId, from),
    cellsAt(ctx, notebookId, to),
    outputsAt(ctx, notebookId, from),
    outputsAt(ctx, notebookId, to),
  ]);
  return { from, to, ...diffNotebooks(a, b), outputsChanged: outputChanges(outA, outB) };
}

export async function notebookVersionRestorer(ctx: AppContext, actor: Actor, notebookId: string, versionId: string) {
  await authorizeNotebook(ctx.db, actor, notebookId, 'notebook.edit');
  const userId = userIdOf(actor);
  const [source] = await ctx.db.select().from(notebookVersions).where(eq(notebookVersions.id, versionId));
  if (!source || source.notebookId !== notebookId) throw notFound(`version ${versionId} of this notebook`);
  const content = source.content as StoredContent;
  const outputs = source.outputs ?? {};

  const live = await ctx.collab.readNotebook(notebookId);
  const before = await versionRecorder(ctx.db, { notebookId, data: notebookToData(live), kind: 'checkpoint', userId });
  live.destroy();

  await ctx.collab.applyServerChange(notebookId, (doc) => {
    const cells = cellsOf(doc);
    doc.transact(() => {
      cells.delete(0, cells.length);
      cells.push(
        content.cells.map((c) =>
          createYCell({
            id: c.id,
            cell_type: cellTypeSchema.catch('code').parse(c.cell_type),
            source: sourceText(c.source),
            metadata: c.metadata ?? {},
            outputs: outputs[c.id]?.outputs ?? [],
            execution_count: outputs[c.id]?.execution_count ?? null,
          }),
        ),
      );
    });
  });
  const restoredDoc = await ctx.collab.readNotebook(notebookId);
  const restored = await versionRecorder(ctx.db, {
    notebookId,
    data: notebookToData(restoredDoc),
    kind: 'restore',
    userId,
    name: `restore of ${source.name ?? `${source.kind} ${source.createdAt.toISOString()}`}`,
    message: `restored version ${source.id}; the document before the restore is checkpoint ${before.id}`,
  });
  restoredDoc.destroy();
  return { restored: { id: restored.id, contentHash: restored.contentHash, name: restored.name }, checkpointBefore: before.id };
}
