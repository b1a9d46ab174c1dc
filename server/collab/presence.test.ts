import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { claimPresence, MalformedAwarenessError } from './presence';

test("a client's claimed presence name is replaced by its account's; other connections' ids are dropped", () => {
  const client = new awarenessProtocol.Awareness(new Y.Doc());
  client.setLocalState({ user: { name: 'alice (owner)', color: '#000' }, cursor: { cellId: 'c1' } });
  const who = { id: 'u-1', name: 'Bob', color: '#1a7f37' };
  const claimed = claimPresence(awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID]), who, () => false);
  const server = new awarenessProtocol.Awareness(new Y.Doc());
  awarenessProtocol.applyAwarenessUpdate(server, claimed, null);
  assert.deepEqual(server.getStates().get(client.clientID), { user: who, cursor: { cellId: 'c1' } });

  const stolen = claimPresence(awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID]), who, () => true);
  const other = new awarenessProtocol.Awareness(new Y.Doc());
  awarenessProtocol.applyAwarenessUpdate(other, stolen, null);
  assert.equal(other.getStates().has(client.clientID), false);
  assert.throws(() => claimPresence(new Uint8Array([5, 1]), who, () => false), MalformedAwarenessError);
  // Awareness keeps a timer for outdated states; destroying lets the test process end.
  for (const a of [client, server, other]) a.destroy();
});
