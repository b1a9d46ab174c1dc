import type { VersionOutputs } from '../../core/notebook/version-outputs';
import { sql } from 'drizzle-orm';
import { bigserial, customType, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from './identity';

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array | Buffer }>({
  dataType: () => 'bytea',
  // Sent as base64 text that PostgreSQL decodes: the embedded PGlite parses a hex bytea literal of a
  // few MB for about a second on the request thread, base64 in a tenth of that (and half the size).
  toDriver: (value) => sql`decode(${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}, 'base64')`,
  fromDriver: (value) => new Uint8Array(value),
});

export const notebooks = pgTable(
  'notebooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Who last edited the notebook (a collaboration edit or a rename). */
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    trashedAt: timestamp('trashed_at', { withTimezone: true }),
  },
  (t) => [index('notebooks_workspace_idx').on(t.workspaceId, t.updatedAt)],
);

/**
 * The Yjs update log: every update is appended (and durable) before it is relayed, so a crash
 * loses nothing a client saw. Compaction folds a prefix into notebook_snapshots.
 */
export const notebookUpdates = pgTable(
  'notebook_updates',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    notebookId: uuid('notebook_id')
      .notNull()
      .references(() => notebooks.id, { onDelete: 'cascade' }),
    update: bytea('update').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notebook_updates_notebook_seq_idx').on(t.notebookId, t.seq)],
);

export const notebookSnapshots = pgTable('notebook_snapshots', {
  notebookId: uuid('notebook_id')
    .primaryKey()
    .references(() => notebooks.id, { onDelete: 'cascade' }),
  state: bytea('state').notNull(),
  /** Updates with seq ≤ this are folded into state. */
  upToSeq: integer('up_to_seq').notNull(),
  /** Changes at every compaction, so clients holding an older history are told to reload. */
  epoch: uuid('epoch').notNull().defaultRandom(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const versionKind = pgEnum('notebook_version_kind', ['named', 'checkpoint', 'execution', 'restore']);

/** Immutable, content-hashed notebook versions; runs point at them for lineage. */
export const notebookVersions = pgTable(
  'notebook_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    notebookId: uuid('notebook_id')
      .notNull()
      .references(() => notebooks.id, { onDelete: 'cascade' }),
    kind: versionKind('kind').notNull(),
    name: text('name'),
    message: text('message'),
    /** sha256 of the canonical notebook JSON (sources, types, metadata; outputs excluded). */
    contentHash: text('content_hash').notNull(),
    /** The canonical notebook content (nbformat-shaped JSON). */
    content: jsonb('content').notNull(),
    /**
     * The outputs each cell showed when the version was taken ({ [cellId]: { outputs, execution_count } }):
     * kept with the version, outside its content hash, so a restore brings them back.
     */
    outputs: jsonb('outputs').$type<VersionOutputs>(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('notebook_versions_notebook_idx').on(t.notebookId, t.createdAt),
    // Automatic versions of unchanged content are reused rather than piled up.
    uniqueIndex('notebook_versions_auto_hash_idx')
      .on(t.notebookId, t.kind, t.contentHash)
      .where(sql`${t.kind} in ('checkpoint', 'execution')`),
  ],
);

/** One cell run request: the notebook's shared execution queue (who asked, when, how it ended). */
export const cellExecutions = pgTable(
  'cell_executions',
  {
    id: uuid('id').primaryKey(),
    notebookId: uuid('notebook_id')
      .notNull()
      .references(() => notebooks.id, { onDelete: 'cascade' }),
    cellId: text('cell_id').notNull(),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    /** queued | running | ok | error | interrupted | timeout | memory-limit | kernel-died */
    status: text('status').notNull().default('queued'),
    executionCount: integer('execution_count'),
    workerId: text('worker_id'),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('cell_executions_notebook_idx').on(t.notebookId, t.queuedAt)],
);

/** A comment on a cell, resolvable; kept apart from the document so discussing never edits it. */
export const cellComments = pgTable(
  'cell_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    notebookId: uuid('notebook_id')
      .notNull()
      .references(() => notebooks.id, { onDelete: 'cascade' }),
    cellId: text('cell_id').notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('cell_comments_notebook_idx').on(t.notebookId, t.createdAt)],
);
