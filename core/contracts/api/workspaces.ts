import { z } from 'zod';
import { emailSchema, newPasswordSchema } from './auth';

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

/** An owner invites someone by email: a one-time link makes their account and membership. */
export const inviteCreateRequestSchema = z.object({
  email: emailSchema,
  role: roleSchema,
  approver: z.boolean().default(false),
});
/** The invitee names themself and sets a password (the email is the invite's). */
export const inviteAcceptRequestSchema = z.object({
  name: z.string().trim().min(1, 'give your name').max(200),
  password: newPasswordSchema,
});
/** Open sign-up for one email domain (null turns it off), joining with `role`. */
export const signupSettingsRequestSchema = z.object({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'domain: e.g. example.com')
    .nullable(),
  role: z.enum(['editor', 'viewer']).default('viewer'),
});
export const signUpRequestSchema = z.object({
  workspace: z.string().min(1).max(63),
  email: emailSchema,
  name: z.string().trim().min(1, 'give your name').max(200),
  password: newPasswordSchema,
});
