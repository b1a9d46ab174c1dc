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
