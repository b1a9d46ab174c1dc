import { z } from 'zod';

// What the registry announces, on the bus (`subjects.registryEvents`) and to webhooks, in one shape.
// `id` grows with every event of a deployment, so a consumer can drop duplicates and spot gaps.

export const registryEventTypes = [
  'model_version.created',
  'model_version.approved',
  'model_version.rejected',
  'model_version.evaluated',
  'alias.moved',
  'alias.deleted',
] as const;
export type RegistryEventType = (typeof registryEventTypes)[number];

export const registryEventSchema = z.object({
  v: z.literal(1),
  id: z.number().int().positive(),
  type: z.enum(registryEventTypes),
  workspaceId: z.string().uuid(),
  at: z.string(),
  actorId: z.string().uuid().nullable(),
  model: z.object({ id: z.string().uuid(), name: z.string() }),
  version: z.object({ id: z.string().uuid(), version: z.number().int() }).nullable(),
  /** Type-specific facts: the alias and where it moved from, the decision comment, the evaluation. */
  data: z.record(z.string(), z.unknown()),
});
export type RegistryEvent = z.infer<typeof registryEventSchema>;

/** Webhook requests carry `X-Ferry-Signature: sha256=<hex HMAC-SHA256 of the raw body with the webhook's secret>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-ferry-signature';
export const WEBHOOK_EVENT_HEADER = 'x-ferry-event';
export const WEBHOOK_DELIVERY_HEADER = 'x-ferry-delivery';
