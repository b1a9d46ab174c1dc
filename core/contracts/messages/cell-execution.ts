import { z } from 'zod';
import { cellOutputSchema } from './outputs';

// Messages of one cell execution: the job the server enqueues and the events the worker publishes.

export const helperApiSchema = z.object({
  /** Base URL of the Ferry HTTP API the kernel's `ferry.*` helpers call. */
  url: z.string().url(),
  /** Job-scoped token: may log runs for this notebook only, expires with the job. */
  token: z.string().min(1),
});

export const cellJobSchema = z.object({
  v: z.literal(1),
  executionId: z.string().uuid(),
  notebookId: z.string().uuid(),
  kernelId: z.string().uuid(),
  cellId: z.string(),
  /** The notebook version (content-hashed) the cell ran from: runs record it as lineage. */
  notebookVersionId: z.string().uuid(),
  code: z.string(),
  language: z.enum(['typescript', 'javascript']),
  requestedBy: z.string().uuid(),
  helperApi: helperApiSchema,
  limits: z.object({ timeoutMs: z.number().int().positive(), memoryMb: z.number().int().positive() }),
  /** A job nobody watches live (a retraining): its events are not written into the shared notebook. */
  headless: z.boolean().optional(),
  /** Values the cell reads as `ferry.params` (e.g. the newer data reference of a retraining). */
  params: z.record(z.string(), z.string()).optional(),
  /** Tags set on the run the cell creates (a retraining links its run to the drift alert this way). */
  runTags: z.record(z.string(), z.string()).optional(),
  /** First cell of a Run all / Run below (or a retraining): the kernel's active run ends before it runs. */
  opensRun: z.boolean().optional(),
  /** Last cell of a retraining: the active run ends with it (its kernel shuts down after). */
  endsRun: z.boolean().optional(),
});
export type CellJob = z.infer<typeof cellJobSchema>;

export const cellEventSchema = z.discriminatedUnion('type', [
  z.object({
    v: z.literal(1),
    type: z.literal('started'),
    executionId: z.string(),
    notebookId: z.string(),
    cellId: z.string(),
    headless: z.boolean().optional(),
    workerId: z.string(),
    executionCount: z.number().int(),
  }),
  z.object({
    v: z.literal(1),
    type: z.literal('output'),
    executionId: z.string(),
    notebookId: z.string(),
    cellId: z.string(),
    headless: z.boolean().optional(),
    output: cellOutputSchema,
  }),
  z.object({
    v: z.literal(1),
    // Every output of the execution again, after the bus was away while it ran: core NATS drops what
    // is published before the server has subscribed again. Replaces the cell's outputs.
    type: z.literal('outputs-replayed'),
    executionId: z.string(),
    notebookId: z.string(),
    cellId: z.string(),
    headless: z.boolean().optional(),
    outputs: z.array(cellOutputSchema),
  }),
  z.object({
    v: z.literal(1),
    type: z.literal('finished'),
    executionId: z.string(),
    notebookId: z.string(),
    cellId: z.string(),
    headless: z.boolean().optional(),
    status: z.enum(['ok', 'error', 'interrupted', 'kernel-died', 'timeout', 'memory-limit']),
    executionCount: z.number().int().nullable(),
    durationMs: z.number().nonnegative(),
  }),
]);
export type CellEvent = z.infer<typeof cellEventSchema>;

export const kernelClaimRequestSchema = z.object({ v: z.literal(1), kernelId: z.string().uuid(), notebookId: z.string().uuid() });
export const kernelClaimReplySchema = z.object({ v: z.literal(1), workerId: z.string(), backend: z.string() });

export const kernelControlSchema = z.object({
  v: z.literal(1),
  kernelId: z.string().uuid(),
  action: z.enum(['interrupt', 'restart', 'shutdown']),
});
