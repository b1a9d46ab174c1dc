import { z } from 'zod';

const state = z.enum(['up', 'down']);

export const healthSchema = z.object({
  /** `degraded` (answered with 503) while the database or the bus is down. */
  status: z.enum(['ok', 'degraded']),
  db: z.enum(['pglite', 'postgres']),
  bus: z.enum(['local', 'nats']),
  checks: z.object({ db: state, bus: state }),
  workers: z.number().int().nonnegative(),
  /** Whether this instance runs the once-per-deployment background jobs. */
  leader: z.boolean(),
  version: z.string(),
});
export type HealthDto = z.infer<typeof healthSchema>;
