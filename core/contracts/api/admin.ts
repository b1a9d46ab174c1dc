import { z } from 'zod';
import { emailSchema, newPasswordSchema } from './auth';
import { roleSchema } from './workspaces';

export const adminUserCreateSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  name: z.string().max(200).optional(),
  role: roleSchema.default('editor'),
  approver: z.boolean().default(false),
  workspaceSlug: z.string().optional(),
});

export const adminTokenCreateSchema = z.object({ email: emailSchema, name: z.string().min(1).max(100).default('cli token') });
