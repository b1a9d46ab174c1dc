import { desc, eq } from 'drizzle-orm';
import { referenceProfileFromTable } from '../../../core/datasets/dataset-table';
import type { ReferenceProfile } from '../../../core/drift/profile';
import type { Db } from '../../../drizzle/client';
import { datasets, datasetVersions, runDatasets } from '../../../drizzle/schema';
import type { ArtifactStore } from '../../store/artifact-store';
import { tableOf } from '../datasets/dataset-queries';

/**
 * When a cell logged its model without `trainingData`, the drift reference comes from the dataset
 * version the run read (`ferry.useDataset`) whose columns hold every named input feature: the newest
 * such version, profiled in full. Null when there is none, so the version simply has no reference.
 */
export async function trainingReferenceFromRunData(
  db: Db,
  store: ArtifactStore,
  runId: string,
  featureNames: string[] | null,
): Promise<{ profile: ReferenceProfile; dataset: string } | null> {
  if (!featureNames?.length) return null;
  const used = await db
    .select({ version: datasetVersions, name: datasets.name })
    .from(runDatasets)
    .innerJoin(datasetVersions, eq(datasetVersions.id, runDatasets.datasetVersionId))
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(eq(runDatasets.runId, runId))
    .orderBy(desc(runDatasets.usedAt));
  for (const { version, name } of used) {
    const columns = new Set((version.schema as Array<{ name: string }>).map((c) => c.name));
    if (!featureNames.every((f) => columns.has(f))) continue;
    const table = await tableOf(store, version);
    return { profile: referenceProfileFromTable(table, featureNames), dataset: `${name}@${version.version}` };
  }
  return null;
}
