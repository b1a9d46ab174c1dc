import { z } from 'zod';

export const notebookNameSchema = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(200, 'name must be at most 200 characters')
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  .refine((s) => !/[\u0000-\u001f]/.test(s), 'name must not contain control characters');

export const notebookCreateRequestSchema = z.object({
  name: notebookNameSchema,
  /** Optional when the caller belongs to exactly one workspace. */
  workspaceId: z.string().uuid().optional(),
});

export const notebookSchema = z.object({
  id: z.string().uuid(),
  workspaceId: z.string().uuid(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The name (or email) of who edited last; null before anyone edited. */
  updatedBy: z.string().nullable(),
  trashed: z.boolean(),
});
export type NotebookDto = z.infer<typeof notebookSchema>;

export const notebookListQuerySchema = z.object({
  workspaceId: z.string().uuid().optional(),
  q: z.string().max(200).optional(),
  trashed: z.enum(['true', 'false']).default('false'),
});

export const notebookUpdateRequestSchema = z.object({ name: notebookNameSchema.optional(), trashed: z.boolean().optional() });

/** An .ipynb file (its JSON, or the text) to create a notebook from. */
export const notebookImportRequestSchema = z.object({
  workspaceId: z.string().uuid().optional(),
  /** Defaults to the file's name in its metadata, else "Imported notebook". */
  name: notebookNameSchema.optional(),
  ipynb: z.union([z.string().min(2), z.record(z.string(), z.unknown())]),
});
export const notebookExportQuerySchema = z.object({ format: z.enum(['ipynb', 'ts']).default('ipynb') });

export const namedVersionRequestSchema = z.object({
  name: z.string().trim().min(1, 'a version needs a name').max(200),
  message: z.string().max(5000).optional(),
});
/** A version id, or `current` for the live document. */
export const versionRefSchema = z.union([z.literal('current'), z.string().uuid('a version id or "current"')]);
export const versionDiffQuerySchema = z.object({ from: versionRefSchema, to: versionRefSchema.default('current') });
