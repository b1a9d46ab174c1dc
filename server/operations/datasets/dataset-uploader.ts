import { and, desc, eq, max } from 'drizzle-orm';
import type { DatasetFormat } from '../../../core/datasets/dataset-table';
import { artifacts, datasets, datasetVersions } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import type { AppContext } from '../../context';
import type { SpooledUpload } from '../../http/upload-spool';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';

/**
 * A new immutable version of a dataset from an uploaded file: the caller is authorized before a byte
 * of the file is read, the file is spooled to disk and parsed off the request thread (a bad file
 * stores nothing), content-addressed, and not duplicated: the same bytes as the latest version give
 * that version back.
 */
export async function datasetUploader(
  ctx: Pick<AppContext, 'db' | 'artifacts' | 'heavyWork' | 'env'>,
  actor: Actor,
  input: { workspaceId: string; name: string; format: DatasetFormat; receive: () => Promise<SpooledUpload>; description?: string },
) {
  await authorizeWorkspace(ctx.db, actor, input.workspaceId, 'run.log');
  const upload = await input.receive();
  try {
    return await storeVersion(ctx, actor, input, upload);
  } finally {
    await upload.discard();
  }
}

async function storeVersion(
  ctx: Pick<AppContext, 'db' | 'artifacts' | 'heavyWork' | 'env'>,
  actor: Actor,
  input: { workspaceId: string; name: string; format: DatasetFormat; description?: string },
  upload: SpooledUpload,
) {
  const { db } = ctx;
  const { rows, schema, profile } = await ctx.heavyWork.run({
    kind: 'dataset-profile',
    path: upload.path,
    format: input.format,
    maxColumns: ctx.env.FERRY_MAX_DATASET_COLUMNS,
  });
  const { sha256, size } = await ctx.artifacts.putFile(upload.path);
  await db
    .insert(datasets)
    .values({ workspaceId: input.workspaceId, name: input.name, description: input.description ?? '' })
    .onConflictDoNothing();
  const [dataset] = await db
    .select()
    .from(datasets)
    .where(and(eq(datasets.workspaceId, input.workspaceId), eq(datasets.name, input.name)));
  const [latest] = await db
    .select()
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetId, dataset!.id))
    .orderBy(desc(datasetVersions.version))
    .limit(1);
  if (latest?.sha256 === sha256) return { dataset: dataset!, version: latest, created: false };
  const version = await db.transaction(async (tx) => {
    await tx
      .insert(artifacts)
      .values({ sha256, size, mediaType: input.format === 'csv' ? 'text/csv' : 'application/x-ndjson' })
      .onConflictDoNothing();
    // The dataset row lock numbers concurrent uploads one after the other.
    await tx.select().from(datasets).where(eq(datasets.id, dataset!.id)).for('update');
    const [top] = await tx
      .select({ v: max(datasetVersions.version) })
      .from(datasetVersions)
      .where(eq(datasetVersions.datasetId, dataset!.id));
    const [row] = await tx
      .insert(datasetVersions)
      .values({
        datasetId: dataset!.id,
        version: (top?.v ?? 0) + 1,
        sha256,
        size,
        format: input.format,
        rows,
        schema,
        profile,
        createdBy: userIdOf(actor),
      })
      .returning();
    return row!;
  });
  return { dataset: dataset!, version, created: true };
}
