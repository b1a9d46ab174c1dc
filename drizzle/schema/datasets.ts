import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from './identity';
import { artifacts, runs } from './tracking';

/** Named, versioned datasets of a workspace; the bytes of each version live in the artifact store. */
export const datasets = pgTable(
  'datasets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('datasets_workspace_name_idx').on(t.workspaceId, t.name)],
);

/** An immutable version: content-addressed (sha256), with the schema and profile computed at upload. */
export const datasetVersions = pgTable(
  'dataset_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => artifacts.sha256),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** 'csv' | 'jsonl'. */
    format: text('format').notNull(),
    rows: integer('rows').notNull(),
    /** [{name, type: 'numeric' | 'categorical'}] in column order. */
    schema: jsonb('schema').notNull(),
    /** Per column: count, nulls, quantiles, histogram, mean, std (numeric) or top categories (categorical). */
    profile: jsonb('profile').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('dataset_versions_dataset_version_idx').on(t.datasetId, t.version),
    index('dataset_versions_sha_idx').on(t.datasetId, t.sha256),
  ],
);

/** Which dataset versions a run read (`ferry.useDataset`): the data side of its lineage. */
export const runDatasets = pgTable(
  'run_datasets',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    datasetVersionId: uuid('dataset_version_id')
      .notNull()
      .references(() => datasetVersions.id, { onDelete: 'restrict' }),
    usedAt: timestamp('used_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.datasetVersionId] })],
);
