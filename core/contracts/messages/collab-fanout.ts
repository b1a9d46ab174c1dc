import { z } from 'zod';

/**
 * A Yjs update or awareness update passed between server instances serving one notebook. `origin`
 * is the sending instance, so it ignores its own; the update is already stored when it is sent.
 */
export const collabFanoutSchema = z.object({
  v: z.literal(1),
  origin: z.string(),
  /** base64 of the Yjs (or awareness) update bytes; absent when `refresh` is set. */
  update: z.string().optional(),
  /** The change was too large for one bus message: read the stored document instead. */
  refresh: z.boolean().optional(),
});
export type CollabFanout = z.infer<typeof collabFanoutSchema>;

export const accessChangedSchema = z.object({ v: z.literal(1), origin: z.string(), userId: z.string().uuid() });
export type AccessChanged = z.infer<typeof accessChangedSchema>;
