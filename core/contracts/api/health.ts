import { z } from 'zod';

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  db: z.enum(['pglite', 'postgres']),
  bus: z.enum(['local', 'nats']),
  workers: z.number().int().nonnegative(),
  version: z.string(),
});
export type HealthDto = z.infer<typeof healthSchema>;
