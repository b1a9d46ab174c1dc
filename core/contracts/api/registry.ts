import { z } from 'zod';
import { referenceProfileSchema } from '../../drift/profile';
import { instanceSchema } from './device';

export const modelNameSchema = z
  .string()
  .trim()
  .min(1, 'model name must not be empty')
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'model names use letters, digits, space, . _ -');

export const promoteRequestSchema = z.object({ modelName: modelNameSchema, description: z.string().max(5000).optional() });
export const decisionRequestSchema = z.object({ comment: z.string().max(5000).optional() });
export const runListQuerySchema = z.object({
  workspaceId: z.string().uuid().optional(),
  notebookId: z.string().uuid().optional(),
  status: z.enum(['running', 'finished', 'failed', 'killed']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const modelListQuerySchema = z.object({ workspaceId: z.string().uuid().optional() });

/** What the run page edits: its name, its markdown notes, tags set and tags removed. */
export const runEditSchema = z
  .object({
    name: z.string().trim().min(1).max(250).optional(),
    note: z.string().max(50_000).optional(),
    tags: z
      .record(z.string().trim().min(1).max(250), z.string().max(5000))
      .refine((t) => Object.keys(t).length <= 100, 'at most 100 tags per change')
      .optional(),
    removeTags: z.array(z.string().min(1).max(250)).max(100).optional(),
  })
  .refine((e) => Object.values(e).some((v) => v !== undefined), 'nothing to change: give name, note, tags or removeTags');

/** An ONNX file made anywhere, registered as a pending version (base64 keeps it one JSON request). */
export const onnxUploadSchema = z.object({
  workspaceId: z.string().uuid(),
  modelName: modelNameSchema,
  description: z.string().max(5000).optional(),
  onnxBase64: z.string().min(1, 'onnxBase64 must hold the model file'),
  /** A few inputs: the server runs the model on them and devices must reproduce the outputs before serving. */
  sampleInput: z.array(instanceSchema).min(1).max(100),
  referenceProfile: referenceProfileSchema.optional(),
});
export type OnnxUpload = z.infer<typeof onnxUploadSchema>;
