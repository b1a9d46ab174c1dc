import { randomBytes } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { WebhookCreate } from '../../../core/contracts/api/registry-review';
import type { Db } from '../../../drizzle/client';
import { registryEvents, webhookDeliveries, webhooks } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { encryptSecret } from '../../auth/secret-box';
import { invalid, notFound } from '../../errors';
import { refusedUrlReason } from '../../registry-events/webhook-target';
import { authorizeWorkspace, userIdOf } from '../../policies/authorize';

const publicColumns = {
  id: webhooks.id,
  workspaceId: webhooks.workspaceId,
  url: webhooks.url,
  events: webhooks.events,
  createdAt: webhooks.createdAt,
};

/**
 * The secret is shown once, at creation (receivers verify `X-Ferry-Signature` with it), and stored
 * encrypted. Loopback, private, link-local and metadata targets are refused (400) unless allowed.
 */
export async function webhookCreator(
  db: Db,
  actor: Actor,
  workspaceId: string,
  input: WebhookCreate,
  opts: { secretKey: Buffer; allowPrivate: boolean },
) {
  await authorizeWorkspace(db, actor, workspaceId, 'workspace.manage-webhooks');
  const refused = refusedUrlReason(input.url, opts.allowPrivate);
  if (refused)
    throw invalid(
      `webhook target refused: ${refused}; webhooks reach public addresses only (FERRY_WEBHOOK_ALLOW_PRIVATE=1 allows loopback and private networks)`,
    );
  const secret = randomBytes(24).toString('base64url');
  const [row] = await db
    .insert(webhooks)
    .values({
      workspaceId,
      url: input.url,
      events: input.events,
      secret: encryptSecret(opts.secretKey, secret),
      createdBy: userIdOf(actor),
    })
    .returning(publicColumns);
  return { webhook: row!, secret };
}

export async function webhookLister(db: Db, actor: Actor, workspaceId: string) {
  await authorizeWorkspace(db, actor, workspaceId, 'workspace.manage-webhooks');
  return db.select(publicColumns).from(webhooks).where(eq(webhooks.workspaceId, workspaceId)).orderBy(webhooks.createdAt);
}

async function webhookOf(db: Db, actor: Actor, webhookId: string) {
  const [hook] = await db.select(publicColumns).from(webhooks).where(eq(webhooks.id, webhookId));
  if (!hook) throw notFound('webhook');
  await authorizeWorkspace(db, actor, hook.workspaceId, 'workspace.manage-webhooks');
  return hook;
}

export async function webhookDeleter(db: Db, actor: Actor, webhookId: string) {
  const hook = await webhookOf(db, actor, webhookId);
  await db.delete(webhooks).where(eq(webhooks.id, hook.id));
  return { deleted: hook.id };
}

/** The latest deliveries of a webhook: what was sent, how often, what came back. */
export async function webhookDeliveryLister(db: Db, actor: Actor, webhookId: string, limit = 100) {
  const hook = await webhookOf(db, actor, webhookId);
  const rows = await db
    .select({
      eventId: webhookDeliveries.eventId,
      type: registryEvents.type,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      responseStatus: webhookDeliveries.responseStatus,
      lastError: webhookDeliveries.lastError,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(registryEvents, eq(registryEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.webhookId, hook.id))
    .orderBy(desc(webhookDeliveries.eventId))
    .limit(limit);
  return { webhook: hook, deliveries: rows };
}
