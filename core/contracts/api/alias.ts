import { z } from 'zod';

/** Alias names (`production`, `staging`, …): letters, digits, _ and -. */
export const aliasNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'alias names use letters, digits, _ and -');
