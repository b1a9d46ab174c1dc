import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { apiTokens, users, workspaces } from './identity';
import { notebooks, notebookVersions } from './notebooks';

export const experiments = pgTable(
  'experiments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** One experiment per notebook by default; null for experiments made through the API. */
    notebookId: uuid('notebook_id').references(() => notebooks.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    /** 'active' | 'deleted' (MLflow's lifecycle stage: deleted experiments can be restored). */
    lifecycleStage: text('lifecycle_stage').notNull().default('active'),
    tags: jsonb('tags').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('experiments_workspace_name_idx').on(t.workspaceId, t.name)],
);

export const runStatus = pgEnum('run_status', ['running', 'finished', 'failed', 'killed']);

export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    experimentId: uuid('experiment_id')
      .notNull()
      .references(() => experiments.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    status: runStatus('status').notNull().default('running'),
    notebookId: uuid('notebook_id').references(() => notebooks.id, { onDelete: 'set null' }),
    notebookVersionId: uuid('notebook_version_id').references(() => notebookVersions.id, { onDelete: 'set null' }),
    cellId: text('cell_id'),
    /** sha256 of the sources of the cells that ran. */
    sourceHash: text('source_hash'),
    workerId: text('worker_id'),
    backend: text('backend'),
    lifecycleStage: text('lifecycle_stage').notNull().default('active'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    /** The job token of the kernel that created it: the only job token that may log into it. */
    jobTokenId: uuid('job_token_id').references(() => apiTokens.id, { onDelete: 'set null' }),
    /** The kernel session whose active run this is: every job token of that kernel may log into it. */
    kernelId: uuid('kernel_id'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    index('runs_experiment_started_idx').on(t.experimentId, t.startedAt),
    index('runs_workspace_started_idx').on(t.workspaceId, t.startedAt),
    index('runs_kernel_idx').on(t.kernelId),
  ],
);

/**
 * The cells that logged into a run, one row per execution: a run spans cells (and notebook versions,
 * when the notebook changed between them), each attributed to the user who ran it.
 */
export const runCells = pgTable(
  'run_cells',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    executionId: uuid('execution_id').notNull(),
    cellId: text('cell_id').notNull(),
    notebookVersionId: uuid('notebook_version_id').references(() => notebookVersions.id, { onDelete: 'set null' }),
    /** sha256 of the cell's source as it ran. */
    sourceHash: text('source_hash').notNull(),
    executionCount: integer('execution_count'),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    loggedAt: timestamp('logged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.executionId] }), index('run_cells_version_idx').on(t.notebookVersionId)],
);

export const runParams = pgTable(
  'run_params',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: text('value').notNull(),
  },
  // Params are write-once (as in MLflow): the primary key refuses a second value.
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index('run_params_key_value_idx').on(t.key, t.value)],
);

export const runMetrics = pgTable(
  'run_metrics',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    step: bigint('step', { mode: 'number' }).notNull(),
    timestamp: bigint('timestamp', { mode: 'number' }).notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [index('run_metrics_run_key_step_idx').on(t.runId, t.key, t.step)],
);

/**
 * The latest value of each metric of each run (highest step, then newest), kept on every write so run
 * search can filter and sort by metrics with an index instead of scanning histories.
 */
export const runLatestMetrics = pgTable(
  'run_latest_metrics',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: doublePrecision('value').notNull(),
    step: bigint('step', { mode: 'number' }).notNull(),
    timestamp: bigint('timestamp', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index('run_latest_metrics_key_value_idx').on(t.key, t.value, t.runId)],
);

export const runTags = pgTable(
  'run_tags',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] })],
);

/** Content-addressed blobs; bytes live in the artifact store, named by sha256. */
export const artifacts = pgTable('artifacts', {
  sha256: text('sha256').primaryKey(),
  size: integer('size').notNull(),
  mediaType: text('media_type').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const runArtifacts = pgTable(
  'run_artifacts',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => artifacts.sha256),
    /** What the artifact is for, e.g. 'tfjs-model' with its sample input/output and profile. */
    kind: text('kind').notNull(),
    metadata: jsonb('metadata').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.path] })],
);

/** A background training (see core/contracts/messages/training.ts): queued → running → succeeded | failed | cancelled. */
export const trainingJobs = pgTable(
  'training_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    notebookId: uuid('notebook_id')
      .notNull()
      .references(() => notebooks.id, { onDelete: 'cascade' }),
    notebookVersionId: uuid('notebook_version_id')
      .notNull()
      .references(() => notebookVersions.id, { onDelete: 'cascade' }),
    cellId: text('cell_id').notNull(),
    status: text('status').notNull().default('queued'),
    requirements: jsonb('requirements').notNull(),
    attempts: integer('attempts').notNull().default(0),
    workerId: text('worker_id'),
    backend: text('backend'),
    /** { epoch, epochs, etaMs, logs, at } from the latest `ferry.fit` epoch. */
    progress: jsonb('progress'),
    /** { epoch, sha256, at }: the weights a resumed attempt starts from (bytes in the artifact store). */
    checkpoint: jsonb('checkpoint'),
    runId: uuid('run_id').references(() => runs.id, { onDelete: 'set null' }),
    /** The last 64 KiB of what the cells printed, with one line per attempt start. */
    log: text('log').notNull().default(''),
    error: text('error'),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    index('training_jobs_notebook_idx').on(t.notebookId, t.createdAt),
    index('training_jobs_workspace_idx').on(t.workspaceId, t.createdAt),
  ],
);
