import { and, desc, eq, inArray } from 'drizzle-orm';
import { readDataset, records, type DatasetFormat } from '../../../core/datasets/dataset-table';
import type { Db } from '../../../drizzle/client';
import { datasets, datasetVersions, runDatasets, runs } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { AppError, invalid, notFound } from '../../errors';
import { authorizeWorkspace } from '../../policies/authorize';
import type { ArtifactStore } from '../../store/artifact-store';
import { authorizeRun } from '../tracking/run-access';

export async function datasetLister(db: Db, actor: Actor, workspaceId: string) {
  await authorizeWorkspace(db, actor, workspaceId, 'run.read');
  const rows = await db.select().from(datasets).where(eq(datasets.workspaceId, workspaceId)).orderBy(datasets.name);
  if (rows.length === 0) return [];
  const versions = await db
    .select()
    .from(datasetVersions)
    .where(
      inArray(
        datasetVersions.datasetId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(desc(datasetVersions.version));
  return rows.map((d) => ({
    ...d,
    versions: versions.filter((v) => v.datasetId === d.id).map(({ profile: _profile, ...v }) => v),
  }));
}

async function versionOf(db: Db, actor: Actor, datasetId: string, version: number) {
  const [d] = await db.select().from(datasets).where(eq(datasets.id, datasetId));
  if (!d) throw notFound('dataset');
  await authorizeWorkspace(db, actor, d.workspaceId, 'run.read');
  const [v] = await db
    .select()
    .from(datasetVersions)
    .where(and(eq(datasetVersions.datasetId, datasetId), eq(datasetVersions.version, version)));
  if (!v) throw notFound(`version ${version} of dataset ${d.name}`);
  return { dataset: d, version: v };
}

export async function tableOf(store: ArtifactStore, v: typeof datasetVersions.$inferSelect) {
  const bytes = await store.get(v.sha256);
  if (!bytes) throw new AppError('NOT_FOUND', `the bytes of this dataset version (${v.sha256}) are missing from the artifact store`);
  return readDataset(new TextDecoder().decode(bytes), v.format as DatasetFormat);
}

/** A version with its schema, profile, the runs that read it, and the first rows. */
export async function datasetVersionGetter(db: Db, store: ArtifactStore, actor: Actor, datasetId: string, version: number) {
  const found = await versionOf(db, actor, datasetId, version);
  const usedBy = await db
    .select({ id: runs.id, name: runs.name, status: runs.status })
    .from(runDatasets)
    .innerJoin(runs, eq(runs.id, runDatasets.runId))
    .where(eq(runDatasets.datasetVersionId, found.version.id))
    .limit(100);
  return { dataset: found.dataset, version: found.version, preview: records(await tableOf(store, found.version), 20), usedBy };
}

/** `name@version` or `name` (the latest). */
export function parseDatasetRef(ref: string): { name: string; version: number | null } {
  const m = ref.match(/^([^@]+?)(?:@(\d+))?$/);
  if (!m) throw invalid(`"${ref}" is not a dataset reference: use name or name@version`);
  return { name: m[1]!.trim(), version: m[2] ? Number(m[2]) : null };
}

/**
 * `ferry.useDataset(ref)` from a cell: the rows of a version of a dataset in the run's workspace, and
 * the reference recorded on the run (its lineage: name, version, sha256).
 */
export async function datasetUser(db: Db, store: ArtifactStore, actor: Actor, runId: string, ref: string) {
  const run = await authorizeRun(db, actor, runId, 'run.log');
  const { name, version } = parseDatasetRef(ref);
  const [d] = await db
    .select()
    .from(datasets)
    .where(and(eq(datasets.workspaceId, run.workspaceId), eq(datasets.name, name)));
  if (!d) throw notFound(`dataset "${name}"`);
  const [v] = await db
    .select()
    .from(datasetVersions)
    .where(and(eq(datasetVersions.datasetId, d.id), version === null ? undefined : eq(datasetVersions.version, version)))
    .orderBy(desc(datasetVersions.version))
    .limit(1);
  if (!v) throw notFound(version === null ? `any version of dataset "${name}"` : `version ${version} of dataset "${name}"`);
  await db.insert(runDatasets).values({ runId, datasetVersionId: v.id }).onConflictDoNothing();
  const table = await tableOf(store, v);
  return {
    name: d.name,
    version: v.version,
    sha256: v.sha256,
    columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
    rows: records(table),
  };
}

export async function runDatasetsOf(db: Db, runId: string) {
  return db
    .select({ name: datasets.name, version: datasetVersions.version, sha256: datasetVersions.sha256, datasetId: datasets.id })
    .from(runDatasets)
    .innerJoin(datasetVersions, eq(datasetVersions.id, runDatasets.datasetVersionId))
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(eq(runDatasets.runId, runId));
}
