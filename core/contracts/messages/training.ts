import { z } from 'zod';
import { helperApiSchema } from './cell-execution';

// Background trainings: a notebook's code cells up to the training cell, run by any capable worker
// from a JetStream work queue. They outlive every browser; a worker that dies mid-training hands
// the job back (no ack) and the next worker resumes from the last checkpoint.

/** The run of a training carries this tag; every attempt logs into that one run. */
export const TRAINING_TAG = 'ferry.training';

export const trainingRequirementsSchema = z
  .object({
    /** Needs a worker with a GPU backend (tfjs-node-gpu). */
    gpu: z.boolean().default(false),
    /** Needs a worker started with this label (FERRY_WORKER_LABELS). */
    label: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'labels are 1-64 letters, digits, _ or -')
      .optional(),
  })
  .default({ gpu: false });
export type TrainingRequirements = z.infer<typeof trainingRequirementsSchema>;

export const trainingJobSchema = z.object({
  v: z.literal(1),
  trainingId: z.string().uuid(),
  notebookId: z.string().uuid(),
  notebookVersionId: z.string().uuid(),
  /** The training cell: its run is the training's run. */
  cellId: z.string(),
  /** Code cells to run in order, ending with the training cell (earlier ones load data, define helpers). */
  cells: z.array(z.object({ id: z.string(), source: z.string() })).min(1),
  requestedBy: z.string().uuid(),
  helperApi: helperApiSchema,
  limits: z.object({ timeoutMs: z.number().int().positive(), memoryMb: z.number().int().positive() }),
  params: z.record(z.string(), z.string()).optional(),
});
export type TrainingJob = z.infer<typeof trainingJobSchema>;

const about = { v: z.literal(1), trainingId: z.string().uuid() };
export const trainingEventSchema = z.discriminatedUnion('type', [
  z.object({ ...about, type: z.literal('started'), workerId: z.string(), attempt: z.number().int().positive(), backend: z.string() }),
  z.object({ ...about, type: z.literal('log'), text: z.string() }),
  z.object({
    ...about,
    type: z.literal('finished'),
    status: z.enum(['succeeded', 'failed', 'cancelled']),
    error: z.string().nullable(),
    workerId: z.string(),
  }),
  /** Delivered more times than allowed, each time without a result: the workers running it died. */
  z.object({ ...about, type: z.literal('dead'), deliveries: z.number().int(), workerId: z.string() }),
]);
export type TrainingEvent = z.infer<typeof trainingEventSchema>;

export const trainingControlSchema = z.object({ v: z.literal(1), trainingId: z.string().uuid(), action: z.literal('cancel') });

/** Progress reported by `ferry.fit` after each epoch. */
export const trainingProgressSchema = z.object({
  epoch: z.number().int().nonnegative(),
  epochs: z.number().int().positive(),
  etaMs: z.number().nonnegative().nullable(),
  logs: z.record(z.string(), z.number()).optional(),
});

/** Model weights after `epoch` completed epochs: what a resumed attempt restores. */
const namedTensorSchema = z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), dataBase64: z.string() });

export const trainingCheckpointSchema = z.object({
  epoch: z.number().int().positive(),
  weights: z.array(namedTensorSchema).max(10_000),
  /** The optimizer's state (Adam's moments, iteration count), so a resumed attempt continues exactly. */
  optimizer: z.array(namedTensorSchema).max(30_000).optional(),
});
export type TrainingCheckpoint = z.infer<typeof trainingCheckpointSchema>;
