import type { Db } from '../../../drizzle/client';
import { registryEvents } from '../../../drizzle/schema';
import type { RegistryEventType } from '../../../core/contracts/messages/registry-event';

export interface RegistryEventInput {
  type: RegistryEventType;
  workspaceId: string;
  actorId: string | null;
  model: { id: string; name: string };
  version: { id: string; version: number } | null;
  data?: Record<string, unknown>;
}

/**
 * Called inside the transaction of the change it announces (the outbox pattern): the event exists
 * if and only if the change committed, and the dispatcher delivers it even after a crash.
 */
export async function recordRegistryEvent(tx: Db, event: RegistryEventInput): Promise<void> {
  await tx.insert(registryEvents).values({
    workspaceId: event.workspaceId,
    type: event.type,
    payload: { actorId: event.actorId, model: event.model, version: event.version, data: event.data ?? {} },
  });
}
