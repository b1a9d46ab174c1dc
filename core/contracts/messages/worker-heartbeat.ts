import { z } from 'zod';

export const workerHeartbeatSchema = z.object({
  v: z.literal(1),
  workerId: z.string(),
  backend: z.string(),
  kernels: z.number().int().nonnegative(),
  freeSlots: z.number().int().nonnegative(),
  cpus: z.number().int().positive(),
  memoryMb: z.number().nonnegative(),
  labels: z.array(z.string()),
  gpu: z.object({ name: z.string(), memoryMb: z.number().nonnegative() }).nullable(),
  /** How this worker isolates kernels; absent from workers older than the sandbox. */
  sandbox: z.object({ mode: z.enum(['bubblewrap', 'unsafe', 'refused']), description: z.string() }).optional(),
});
export type WorkerHeartbeat = z.infer<typeof workerHeartbeatSchema>;
