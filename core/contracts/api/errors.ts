import { z } from 'zod';

/** Every non-2xx JSON response of the Ferry API (the MLflow-compatible API has its own shape). */
export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
