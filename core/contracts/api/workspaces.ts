import { z } from 'zod';
import { emailSchema } from './auth';

export const roleSchema = z.enum(['owner', 'editor', 'viewer']);
export type RoleDto = z.infer<typeof roleSchema>;

export const workspaceCreateRequestSchema = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(100),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'slug: lowercase letters, digits and dashes')
    .optional(),
});

export const workspaceSchema = z.object({
  id: z.string().uuid(),
  slug: z.string(),
  name: z.string(),
  role: roleSchema,
  approver: z.boolean(),
});
export type WorkspaceDto = z.infer<typeof workspaceSchema>;

export const memberAddRequestSchema = z.object({
  email: emailSchema,
  role: roleSchema,
  approver: z.boolean().default(false),
});
export const memberUpdateRequestSchema = z.object({ role: roleSchema.optional(), approver: z.boolean().optional() });
export const memberSchema = z.object({
  userId: z.string().uuid(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  approver: z.boolean(),
});
export type MemberDto = z.infer<typeof memberSchema>;
