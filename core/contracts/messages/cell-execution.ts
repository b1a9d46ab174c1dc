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
});
export type CellJob = z.infer<typeof cellJobSchema>;

export const cellEventSchema = z.discriminatedUnion('type', [
  z.object({
    v: z.literal(1),
    type: z.literal('started'),
    executionId: z.string(),
    notebookId: z.string(),
    cellId: z.string(),
    workerId: z.string(),
    executionCount: z.number().int(),
  }),
  z.object({
    v: z.literal(1),
    type: z.literal('output'),
    executionId: z.string(),
    notebookId: z.string(),
    cellId: z.string(),
    output: cellOutputSchema,
  }),
  z.object({
    v: z.literal(1),
    type: z.literal('finished'),
    executionId: z.string(),
    notebookId: z.string(),
    cellId: z.string(),
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
