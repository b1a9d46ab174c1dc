import { z } from 'zod';
import { registryEventTypes } from '../messages/registry-event';

export const evaluationRequestSchema = z.object({
  /** The dataset version it was measured on: `name@version`. */
  dataset: z
    .string()
    .trim()
    .regex(/^[^@]+@\d+$/, 'dataset must be name@version: an evaluation is only evidence on a fixed dataset version'),
  metrics: z
    .record(z.string().min(1).max(250), z.number().finite('metric values must be finite numbers'))
    .refine((m) => Object.keys(m).length > 0, 'metrics must hold at least one value')
    .refine((m) => Object.keys(m).length <= 100, 'at most 100 metrics per evaluation'),
});
export type EvaluationRequest = z.infer<typeof evaluationRequestSchema>;

export const versionDescriptionSchema = z.object({ description: z.string().max(20_000) });

export const webhookCreateSchema = z.object({
  url: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'webhook URLs are http:// or https://'),
  /** Empty or absent: every event type. */
  events: z.array(z.enum(registryEventTypes)).max(registryEventTypes.length).default([]),
});
export type WebhookCreate = z.infer<typeof webhookCreateSchema>;
