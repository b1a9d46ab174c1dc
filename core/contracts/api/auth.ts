import { z } from 'zod';

export const emailSchema = z.string().trim().toLowerCase().email({ message: 'must be an email address' }).max(320);

/** A password being set (setup, user create); the server also refuses common ones (server/auth/passwords.ts). */
export const newPasswordSchema = z.string().min(10, 'password must be at least 10 characters').max(1024);

export const setupRequestSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  name: z.string().trim().max(200).default(''),
  workspaceName: z.string().trim().min(1).max(100).default('My workspace'),
});

export const signInRequestSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(1024),
});

export const userSchema = z.object({ id: z.string().uuid(), email: z.string(), name: z.string() });
export type UserDto = z.infer<typeof userSchema>;

export const setupStatusSchema = z.object({ needsSetup: z.boolean() });

export const tokenCreateRequestSchema = z.object({
  name: z.string().trim().min(1).max(100).default('api token'),
  expiresInDays: z.number().int().positive().max(3650).optional(),
});
export const tokenCreatedSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  /** Shown once; only its hash is stored. */
  token: z.string(),
  prefix: z.string(),
  expiresAt: z.string().nullable(),
});
