import { z } from 'zod';
import { referenceProfileSchema } from '../../drift/profile';

// The helper API the kernel's `ferry.*` functions call, with a job-scoped token.

/** The cell execution that logs into a run: a run records one of these per execution (run_cells). */
export const kernelRunCellSchema = z.object({
  executionId: z.string().uuid(),
  cellId: z.string(),
  notebookVersionId: z.string().uuid(),
  sourceHash: z.string().regex(/^[0-9a-f]{64}$/),
  executionCount: z.number().int().nonnegative().optional(),
});

/**
 * Opens a run: the kernel's first `ferry.*` logging call, or `ferry.startRun()`. The run is the kernel
 * session's active run until it ends, and every job token of that kernel may log into it.
 */
export const kernelRunCreateSchema = kernelRunCellSchema.extend({
  v: z.literal(1),
  notebookId: z.string().uuid(),
  /** The kernel session the run belongs to (absent from kernels older than runs spanning cells). */
  kernelId: z.string().uuid().optional(),
  /** `ferry.startRun({ name })`; else the server names the run after the notebook and the cell's label. */
  name: z.string().min(1).max(250).optional(),
  /** The first logging cell's first comment line, or its execution count (`[3]`). */
  cellLabel: z.string().max(250).optional(),
  backend: z.string().max(200).optional(),
  workerId: z.string().max(200).optional(),
  tags: z.record(z.string().max(250), z.string().max(5000)).optional(),
});
export const kernelRunCreatedSchema = z.object({ runId: z.string().uuid(), name: z.string() });

export const paramValueSchema = z.union([z.string().max(6000), z.number(), z.boolean()]);
export const metricPointSchema = z.object({
  key: z.string().min(1).max(250),
  value: z.number(),
  step: z.number().int().nonnegative().default(0),
  timestamp: z.number().int().positive(),
});

export const runLogSchema = z.object({
  params: z
    .record(z.string().min(1).max(250), paramValueSchema)
    .refine((p) => Object.keys(p).length <= 100, 'at most 100 params per call')
    .optional(),
  metrics: z.array(metricPointSchema).max(1000, 'at most 1000 metric points per call').optional(),
});

export const tfjsWeightSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.literal('float32'),
  dataBase64: z.string(),
});

export const runModelLogSchema = z.object({
  name: z.string().max(200).optional(),
  topology: z.unknown(),
  weights: z.array(tfjsWeightSchema),
  sampleInput: z.array(z.array(z.number())).min(1, 'sampleInput needs at least one row'),
  sampleOutput: z.array(z.array(z.number())).min(1),
  referenceProfile: referenceProfileSchema.nullable(),
  featureNames: z.array(z.string()).optional(),
});
export type RunModelLog = z.infer<typeof runModelLogSchema>;

export const runFinishSchema = z.object({ status: z.enum(['finished', 'failed', 'killed']) });
