import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Bus } from '../../core/bus/port';
import {
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  registryEventSchema,
  type RegistryEvent,
} from '../../core/contracts/messages/registry-event';
import { subjects } from '../../core/contracts/subjects';
import type { Db } from '../../drizzle/client';
import { decryptSecret } from '../auth/secret-box';
import type { Logger } from '../log';
import { DELIVERY_FAILED, sendWebhook } from './webhook-sender';

// Drains the registry-event outbox: each event is published on the bus and fanned out into one
// delivery per matching webhook inside one transaction (a failed publish rolls the claim back, so
// delivery is at-least-once; consumers drop duplicates by event id). Webhook deliveries are then
// claimed with a lease, POSTed with an HMAC signature and retried with exponential backoff. Rows are
// claimed with SKIP LOCKED, so several server instances drain one database without doubling work.

export interface EventDispatcherOptions {
  db: Db;
  bus: Bus;
  log: Logger;
  intervalMs?: number;
  /** First retry delay; doubles per attempt up to 10 minutes. */
  retryBaseMs?: number;
  maxAttempts?: number;
  requestTimeoutMs?: number;
  /** Decrypts the stored webhook secrets (server/auth/secret-box.ts). */
  secretKey: Buffer;
  /** FERRY_WEBHOOK_ALLOW_PRIVATE: loopback and private receivers allowed. */
  allowPrivate?: boolean;
}

export interface EventDispatcher {
  /** One full pass now (tests, shutdown). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

type Rows<T> = { rows: T[] };
interface EventRow {
  id: string | number;
  workspace_id: string;
  type: string;
  payload: Omit<RegistryEvent, 'v' | 'id' | 'type' | 'workspaceId' | 'at'>;
  created_at: string | Date;
}
interface DueDelivery {
  event_id: string | number;
  webhook_id: string;
  attempts: number;
  url: string;
  secret: string;
  type: string;
  workspace_id: string;
  payload: EventRow['payload'];
  created_at: string | Date;
}

const BATCH = 100;
const LEASE_SECONDS = 60;
const MAX_BACKOFF_MS = 10 * 60_000;

export function toRegistryEvent(row: Pick<EventRow, 'id' | 'workspace_id' | 'type' | 'payload' | 'created_at'>): RegistryEvent {
  return registryEventSchema.parse({
    v: 1,
    id: Number(row.id),
    type: row.type,
    workspaceId: row.workspace_id,
    at: new Date(row.created_at).toISOString(),
    ...row.payload,
  });
}

export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function startEventDispatcher(opts: EventDispatcherOptions): EventDispatcher {
  const { db, bus, log } = opts;
  const retryBaseMs = opts.retryBaseMs ?? 2_000;
  const maxAttempts = opts.maxAttempts ?? 8;
  const timeoutMs = opts.requestTimeoutMs ?? 5_000;
  let running: Promise<void> | null = null;
  let stopped = false;

  async function publishPending(): Promise<number> {
    return db.transaction(async (tx) => {
      const claimed = (await tx.execute(sql`
        update registry_events set published_at = now()
        where id in (select id from registry_events where published_at is null order by id limit ${BATCH} for update skip locked)
        returning id, workspace_id, type, payload, created_at`)) as unknown as Rows<EventRow>;
      const events = claimed.rows.map(toRegistryEvent).sort((a, b) => a.id - b.id);
      for (const event of events) {
        await bus.publish(subjects.registryEvents(event.workspaceId), event);
        await tx.execute(sql`
          insert into webhook_deliveries (event_id, webhook_id)
          select ${event.id}, w.id from webhooks w
          where w.workspace_id = ${event.workspaceId}::uuid
            and (jsonb_array_length(w.events) = 0 or w.events ? ${event.type})
          on conflict do nothing`);
      }
      return events.length;
    });
  }

  async function deliverDue(): Promise<number> {
    const due = (await db.execute(sql`
      with claimed as (
        update webhook_deliveries d set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS})
        where (d.event_id, d.webhook_id) in (
          select event_id, webhook_id from webhook_deliveries
          where status = 'pending' and next_attempt_at <= now()
          order by next_attempt_at limit 20 for update skip locked)
        returning d.event_id, d.webhook_id, d.attempts)
      select c.event_id, c.webhook_id, c.attempts, w.url, w.secret, e.type, e.workspace_id, e.payload, e.created_at
      from claimed c join webhooks w on w.id = c.webhook_id join registry_events e on e.id = c.event_id`)) as unknown as Rows<DueDelivery>;
    await Promise.all(due.rows.map(deliver));
    return due.rows.length;
  }

  async function deliver(d: DueDelivery): Promise<void> {
    const event = toRegistryEvent({
      id: d.event_id,
      workspace_id: d.workspace_id,
      type: d.type,
      payload: d.payload,
      created_at: d.created_at,
    });
    const body = JSON.stringify(event);
    let secret: string;
    try {
      secret = decryptSecret(opts.secretKey, d.secret);
    } catch {
      // Encrypted with another key (an instance without the shared FERRY_SECRET_KEY): nothing to sign with.
      secret = '';
    }
    const outcome = secret
      ? await sendWebhook(d.url, {
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Ferry-Webhooks/1',
            [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(secret, body),
            [WEBHOOK_EVENT_HEADER]: event.type,
            [WEBHOOK_DELIVERY_HEADER]: `${event.id}:${d.webhook_id}`,
          },
          body,
          timeoutMs,
          allowPrivate: opts.allowPrivate ?? false,
        })
      : ({ ok: false, status: null, error: DELIVERY_FAILED } as const);
    if (!secret)
      log.error('webhook secret does not decrypt with this server key; set the same FERRY_SECRET_KEY everywhere', {
        webhook: d.webhook_id,
      });
    const status = outcome.status;
    const error = outcome.ok ? null : outcome.error;
    const key = sql`event_id = ${Number(d.event_id)} and webhook_id = ${d.webhook_id}::uuid`;
    if (!error) {
      await db.execute(
        sql`update webhook_deliveries set status = 'delivered', delivered_at = now(), response_status = ${status}, last_error = null where ${key}`,
      );
      return;
    }
    const final = d.attempts >= maxAttempts;
    const delayMs = Math.min(MAX_BACKOFF_MS, retryBaseMs * 2 ** (d.attempts - 1));
    await db.execute(sql`
      update webhook_deliveries set status = ${final ? 'failed' : 'pending'}, response_status = ${status}, last_error = ${error},
        next_attempt_at = now() + make_interval(secs => ${delayMs / 1000})
      where ${key}`);
    log[final ? 'warn' : 'info'](`webhook delivery ${final ? 'failed for good' : 'will be retried'}`, {
      url: d.url,
      event: event.id,
      attempt: d.attempts,
      error,
    });
  }

  /** One cheap read per tick on an idle server; the claiming statements run only when there is work. */
  async function workWaiting(): Promise<{ events: boolean; deliveries: boolean }> {
    const { rows } = (await db.execute(sql`
      select exists (select 1 from registry_events where published_at is null) as events,
             exists (select 1 from webhook_deliveries where status = 'pending' and next_attempt_at <= now()) as deliveries`)) as unknown as Rows<{
      events: boolean;
      deliveries: boolean;
    }>;
    return rows[0] ?? { events: false, deliveries: false };
  }

  async function pass(): Promise<void> {
    const waiting = await workWaiting();
    if (waiting.events) while ((await publishPending()) === BATCH && !stopped);
    if (waiting.events || waiting.deliveries) while ((await deliverDue()) > 0 && !stopped);
  }

  function once(): Promise<void> {
    running ??= pass()
      .catch((e: unknown) => log.error('registry event dispatch failed; retrying on the next tick', { error: (e as Error).message }))
      .finally(() => {
        running = null;
      });
    return running;
  }

  const timer = setInterval(() => void once(), opts.intervalMs ?? 1000);
  timer.unref();
  return {
    async drain() {
      await running;
      await once();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
