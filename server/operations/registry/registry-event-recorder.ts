import type { Db } from '../../../drizzle/client';
import { registryEvents } from '../../../drizzle/schema';
import type { RegistryEventType } from '../../../core/contracts/messages/registry-event';
import { audit } from './audit';

export interface RegistryChange {
  workspaceId: string;
  actorId: string | null;
  /** The audit action, e.g. `version.approved`. */
  action: string;
  subjectType: 'model_version' | 'registered_model';
  subjectId: string;
  data: Record<string, unknown>;
  /** What is announced on the bus and to webhooks, with the same data. */
  event: { type: RegistryEventType; model: { id: string; name: string }; version: { id: string; version: number } | null };
}

/**
 * A registry change's audit entry and its event, written inside the transaction of the change (the
 * outbox pattern): the event exists if and only if the change committed, and the dispatcher delivers
 * it even after a crash.
 */
export async function recordRegistryChange(tx: Db, change: RegistryChange): Promise<void> {
  const { event, ...entry } = change;
  await audit(tx, entry);
  await tx.insert(registryEvents).values({
    workspaceId: change.workspaceId,
    type: event.type,
    payload: { actorId: change.actorId, model: event.model, version: event.version, data: change.data },
  });
}
