import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users, workspaces } from './identity';
import { modelVersions } from './registry';

/** One-time enrollment tokens: stored hashed, consumed by the first device that presents one. */
export const enrollmentTokens = pgTable('enrollment_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  deviceName: text('device_name').notNull(),
  labels: jsonb('labels').notNull().default({}),
  group: text('group').notNull().default('default'),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    credentialHash: text('credential_hash').notNull().unique(),
    labels: jsonb('labels').notNull().default({}),
    /** Deployments target a group; every device is in exactly one ('default' unless moved). */
    group: text('group').notNull().default('default'),
    currentVersionId: uuid('current_version_id').references(() => modelVersions.id, { onDelete: 'set null' }),
    previousVersionId: uuid('previous_version_id').references(() => modelVersions.id, { onDelete: 'set null' }),
    health: text('health').notNull().default('unknown'),
    lastError: text('last_error'),
    /** The last version this device refused or could not run: what halts a rollout. */
    failedVersionId: uuid('failed_version_id').references(() => modelVersions.id, { onDelete: 'set null' }),
    backend: text('backend'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('devices_workspace_idx').on(t.workspaceId), index('devices_group_idx').on(t.workspaceId, t.group)],
);

/**
 * What a group of devices should run: a version rolled out in stages (canaries first), optionally
 * split A/B with a second version. The newest deployment of a group decides (core/fleet/rollout-policy).
 */
export const deployments = pgTable(
  'deployments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    group: text('group').notNull().default('default'),
    modelVersionId: uuid('model_version_id')
      .notNull()
      .references(() => modelVersions.id, { onDelete: 'cascade' }),
    /** Set when deployed through an alias, kept for the record (the alias was resolved at creation). */
    alias: text('alias'),
    previousVersionId: uuid('previous_version_id').references(() => modelVersions.id, { onDelete: 'set null' }),
    /** 'active' | 'halted' | 'rolled_back' | 'superseded'. */
    status: text('status').notNull().default('active'),
    /** 'canary' | 'full'. */
    stage: text('stage').notNull().default('full'),
    canaryPercent: integer('canary_percent').notNull().default(100),
    canaryDeviceIds: jsonb('canary_device_ids').$type<string[]>().notNull().default([]),
    haltThreshold: doublePrecision('halt_threshold').notNull().default(0.2),
    autoAdvance: boolean('auto_advance').notNull().default(true),
    haltReason: text('halt_reason'),
    variantVersionId: uuid('variant_version_id').references(() => modelVersions.id, { onDelete: 'set null' }),
    variantPercent: integer('variant_percent').notNull().default(0),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('deployments_workspace_idx').on(t.workspaceId, t.createdAt),
    index('deployments_group_idx').on(t.workspaceId, t.group, t.createdAt),
  ],
);

export const driftReports = pgTable(
  'drift_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    modelVersionId: uuid('model_version_id')
      .notNull()
      .references(() => modelVersions.id, { onDelete: 'cascade' }),
    /** Chosen by the device, so a report re-sent after a lost reply is stored once. */
    idempotencyKey: text('idempotency_key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
    sampleCount: integer('sample_count').notNull(),
    features: jsonb('features').notNull(),
    /** Drift of the model's outputs against the prediction profile of its training data. */
    predictions: jsonb('predictions').notNull().default([]),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('drift_reports_device_key_idx').on(t.deviceId, t.idempotencyKey),
    index('drift_reports_version_idx').on(t.modelVersionId, t.windowEnd),
  ],
);

/** Raised when a drift report shows a feature past its threshold; one open alert per device, version and feature. */
export const driftAlerts = pgTable(
  'drift_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    modelVersionId: uuid('model_version_id')
      .notNull()
      .references(() => modelVersions.id, { onDelete: 'cascade' }),
    feature: text('feature').notNull(),
    /** The statistic that crossed, e.g. psi 0.31 > 0.2. */
    reason: text('reason').notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    reports: integer('reports').notNull().default(1),
    status: text('status').notNull().default('open'),
    /** The retraining run started from this alert, when someone pressed "retrain". */
    retrainRunId: uuid('retrain_run_id'),
    /** When a retraining was asked for (by a person or automatically): automatic ones happen once per alert. */
    retrainRequestedAt: timestamp('retrain_requested_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    index('drift_alerts_workspace_idx').on(t.workspaceId, t.status),
    uniqueIndex('drift_alerts_open_idx')
      .on(t.deviceId, t.modelVersionId, t.feature)
      .where(sql`status = 'open'`),
  ],
);

/** Per-version serving statistics from a device (A/B comparison): volume, latency, outputs, feedback. */
export const predictionStats = pgTable(
  'prediction_stats',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    modelVersionId: uuid('model_version_id')
      .notNull()
      .references(() => modelVersions.id, { onDelete: 'cascade' }),
    idempotencyKey: text('idempotency_key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
    count: integer('count').notNull(),
    latencyP50Ms: doublePrecision('latency_p50_ms').notNull(),
    latencyP99Ms: doublePrecision('latency_p99_ms').notNull(),
    /** Mean and a uniform sample of the first output: versions' distributions are compared on common bins. */
    outputMean: doublePrecision('output_mean'),
    outputSample: jsonb('output_sample').$type<number[]>().notNull().default([]),
    feedbackCount: integer('feedback_count').notNull().default(0),
    /** Accuracy for classifiers (argmax = label), mean absolute error for single-output models. */
    feedbackScore: doublePrecision('feedback_score'),
    feedbackKind: text('feedback_kind'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('prediction_stats_device_key_idx').on(t.deviceId, t.idempotencyKey),
    index('prediction_stats_version_idx').on(t.modelVersionId, t.windowEnd),
  ],
);
