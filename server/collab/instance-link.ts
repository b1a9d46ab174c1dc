import type { Bus, Subscription } from '../../core/bus/port';
import { collabFanoutSchema } from '../../core/contracts/messages/collab-fanout';
import { subjects } from '../../core/contracts/subjects';
import type { Logger } from '../log';
import type { Room, RoomFanout } from './room';

// Scale-out: several server instances behind a load balancer serve the same notebook. Each stores
// what its clients send, then publishes it on NATS; the others apply and relay it to their own
// sockets. Storage stays the source of truth: a gap (a lost message) is filled from it.

const MAX_INLINE_BYTES = 600 * 1024;

export interface CrossInstanceLink {
  fanout: RoomFanout;
  attach(room: Room): void;
  close(): Promise<void>;
}

export async function linkInstances(bus: Bus, notebookId: string, instanceId: string, log: Logger): Promise<CrossInstanceLink> {
  let room: Room | null = null;
  const early: Array<() => void> = [];
  const deliver = (apply: (r: Room) => void) => (room ? apply(room) : early.push(() => apply(room!)));
  const receive = (kind: 'update' | 'awareness') => (msg: { json(): unknown }) => {
    const parsed = collabFanoutSchema.safeParse(msg.json());
    if (!parsed.success) return log.warn('ignored a malformed message from another instance', { notebookId, kind });
    if (parsed.data.origin === instanceId) return;
    if (parsed.data.refresh || parsed.data.update === undefined) {
      deliver((r) => void r.refreshFromStorage());
      return;
    }
    const bytes = new Uint8Array(Buffer.from(parsed.data.update, 'base64'));
    deliver((r) => {
      try {
        if (kind === 'update') r.applyRemoteUpdate(bytes);
        else r.applyRemoteAwareness(bytes);
      } catch (error) {
        log.warn('could not apply a change from another instance; refreshing from storage', { notebookId, error: String(error) });
        void r.refreshFromStorage();
      }
    });
  };
  const subs: Subscription[] = [
    await bus.subscribe(subjects.collabUpdates(notebookId), receive('update')),
    await bus.subscribe(subjects.collabAwareness(notebookId), receive('awareness')),
  ];
  // NATS carries up to 1 MB a message by default: a larger change is announced, not sent (it is stored).
  const publish = (subject: string, update: Uint8Array) =>
    bus
      .publish(
        subject,
        update.byteLength > MAX_INLINE_BYTES
          ? { v: 1, origin: instanceId, refresh: true }
          : { v: 1, origin: instanceId, update: Buffer.from(update).toString('base64') },
      )
      .catch((error: unknown) => log.warn('could not tell the other instances about a change', { notebookId, error: String(error) }));
  return {
    fanout: {
      update: (u) => void publish(subjects.collabUpdates(notebookId), u),
      awareness: (u) => void publish(subjects.collabAwareness(notebookId), u),
    },
    attach(r) {
      room = r;
      for (const apply of early.splice(0)) apply();
    },
    async close() {
      for (const s of subs) await s.unsubscribe();
    },
  };
}
