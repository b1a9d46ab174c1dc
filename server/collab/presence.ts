import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { PresenceUser } from '../../core/notebook/presence';

// Awareness updates from a client, rewritten before the room applies them: every state's `user` is
// the signed-in account's (whatever name the client claimed), and entries for awareness client ids
// another connection holds are dropped, so nobody can speak for someone else's cursor.

export class MalformedAwarenessError extends Error {}

/** The update with `user` forced to `who` and foreign client ids left out; throws on undecodable bytes. */
export function claimPresence(update: Uint8Array, who: PresenceUser, heldByOther: (clientId: number) => boolean): Uint8Array {
  const entries: Array<{ clientId: number; clock: number; state: string }> = [];
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const raw = decoding.readVarString(decoder);
      if (heldByOther(clientId)) continue;
      const state = JSON.parse(raw) as unknown;
      // null is a client leaving; anything else is its state, which must be an object to carry a user.
      const forced = state === null ? null : typeof state === 'object' && !Array.isArray(state) ? { ...state, user: who } : { user: who };
      entries.push({ clientId, clock, state: JSON.stringify(forced) });
    }
  } catch (error) {
    throw new MalformedAwarenessError(`undecodable awareness update: ${(error as Error).message}`);
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, e.state);
  }
  return encoding.toUint8Array(encoder);
}
