import { and, desc, eq, max } from 'drizzle-orm';
import { DatasetError, profileDataset, readDataset, type DatasetFormat } from '../../../core/datasets/dataset-table';
import type { Db } from '../../../drizzle/client';
import { artifacts, datasets, datasetVersions } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { invalid } from '../../errors';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';
import { sha256Of, type ArtifactStore } from '../../store/artifact-store';

/**
 * A new immutable version of a dataset from an uploaded file: parsed and profiled first (a bad file
 * stores nothing), content-addressed, and not duplicated: the same bytes as the latest version give
 * that version back.
 */
export async function datasetUploader(
  db: Db,
  store: ArtifactStore,
  actor: Actor,
  input: { workspaceId: string; name: string; format: DatasetFormat; bytes: Uint8Array; description?: string },
) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'run.log');
  let table;
  try {
    table = readDataset(new TextDecoder('utf-8', { fatal: true }).decode(input.bytes), input.format);
  } catch (error) {
    if (error instanceof DatasetError) throw invalid(`not a ${input.format === 'csv' ? 'CSV' : 'JSON lines'} dataset: ${error.message}`);
    if (error instanceof TypeError) throw invalid('the file is not UTF-8 text');
    throw error;
  }
  const { schema, profile } = profileDataset(table);
  const sha256 = sha256Of(input.bytes);
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
  await store.put(input.bytes);
  const version = await db.transaction(async (tx) => {
    await tx
      .insert(artifacts)
      .values({ sha256, size: input.bytes.byteLength, mediaType: input.format === 'csv' ? 'text/csv' : 'application/x-ndjson' })
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
        size: input.bytes.byteLength,
        format: input.format,
        rows: table.rows,
        schema,
        profile,
        createdBy: userIdOf(actor),
      })
      .returning();
    return row!;
  });
  return { dataset: dataset!, version, created: true };
}
