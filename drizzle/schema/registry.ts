import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from './identity';
import { artifacts, runs } from './tracking';

export const registeredModels = pgTable(
  'registered_models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    tags: jsonb('tags').$type<Record<string, string>>().notNull().default({}),
    /** Retrain by itself when a version's drift stays above threshold this long (null: only on request). */
    autoRetrainMinutes: integer('auto_retrain_minutes'),
    /** The data reference an automatic retraining trains on (ferry.params.dataRef). */
    autoRetrainDataRef: text('auto_retrain_data_ref'),
    /** Whose permission automatic retrainings run with: the editor who turned it on. */
    autoRetrainBy: uuid('auto_retrain_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('registered_models_workspace_name_idx').on(t.workspaceId, t.name)],
);

export const approvalStatus = pgEnum('approval_status', ['pending', 'approved', 'rejected']);

export const modelVersions = pgTable(
  'model_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    modelId: uuid('model_id')
      .notNull()
      .references(() => registeredModels.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    runId: uuid('run_id').references(() => runs.id, { onDelete: 'set null' }),
    onnxSha256: text('onnx_sha256')
      .notNull()
      .references(() => artifacts.sha256),
    size: integer('size').notNull(),
    /** Input/output names, shapes and dtypes read from the ONNX graph. */
    signature: jsonb('signature').notNull(),
    /** Per-feature profile of the training inputs, the reference for drift. */
    referenceProfile: jsonb('reference_profile'),
    /** Golden input and the expected output: the device's health check before taking traffic. */
    sampleInput: jsonb('sample_input').notNull(),
    sampleOutput: jsonb('sample_output').notNull(),
    description: text('description').notNull().default(''),
    tags: jsonb('tags').$type<Record<string, string>>().notNull().default({}),
    status: approvalStatus('status').notNull().default('pending'),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionComment: text('decision_comment'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('model_versions_model_version_idx').on(t.modelId, t.version), index('model_versions_run_idx').on(t.runId)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').references(() => workspaces.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    data: jsonb('data').notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_workspace_at_idx').on(t.workspaceId, t.at), index('audit_log_subject_idx').on(t.subjectType, t.subjectId, t.at)],
);

/** Named pointers to versions (`staging`, `production`, …) that move; one version per alias per model. */
export const modelAliases = pgTable(
  'model_aliases',
  {
    modelId: uuid('model_id')
      .notNull()
      .references(() => registeredModels.id, { onDelete: 'cascade' }),
    alias: text('alias').notNull(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => modelVersions.id, { onDelete: 'cascade' }),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('model_aliases_model_alias_idx').on(t.modelId, t.alias)],
);
