import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { closeCodes } from '../../core/contracts/close-codes';
import type { Db } from '../../drizzle/client';
import type { Role } from '../policies/authorize';
import type { Logger } from '../log';
import { appendUpdate, compactStoredDoc, loadStoredDoc, markEdited } from './doc-store';
import { collabLimits } from './limits';
import { roomColor, type PresenceUser } from '../../core/notebook/presence';
import { claimPresence, MalformedAwarenessError } from './presence';
import { decodeMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, MalformedMessageError } from './protocol';
import { foreignRootTypes } from './root-types';

const LARGE_FRAME_BYTES = 64 * 1024;
// One loaded notebook: its document, its awareness, its connections. Every change is stored before
// anyone else sees it, so whatever a client saw relayed survives a crash.

export interface Connection {
  socket: WebSocket;
  userId: string;
  role: Role;
  /** Written over the `user` of every awareness state this connection sends. */
  presence: PresenceUser;
  awarenessClients: Set<number>;
}

export const SERVER_ORIGIN = Symbol('ferry-server');
/** Changes that came from another server instance: relayed to local sockets, never sent back out. */
export const REMOTE_ORIGIN = Symbol('ferry-remote-instance');

/** How a room tells the other instances serving its notebook about changes (absent with one instance). */
export interface RoomFanout {
  update(update: Uint8Array): void;
  awareness(update: Uint8Array): void;
}

const EDIT_MARK_EVERY_MS = 5000;

export class Room {
  readonly conns = new Set<Connection>();
  /** Counts document changes, so work keyed on "has it changed since" (checkpoints) can skip idle rooms. */
  changes = 0;
  private sinceCompaction: number;
  private chain: Promise<void> = Promise.resolve();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    readonly notebookId: string,
    readonly doc: Y.Doc,
    readonly awareness: awarenessProtocol.Awareness,
    readonly epoch: string | null,
    pending: number,
    private readonly db: Db,
    private readonly log: Logger,
    private readonly onIdle: (room: Room) => void,
    private readonly fanout: RoomFanout | null,
  ) {
    this.sinceCompaction = pending;
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.changes++;
      this.relay(encodeUpdate(update), origin);
      // Every local change is stored before it gets here, so other instances may relay it at once.
      if (origin !== REMOTE_ORIGIN) this.fanout?.update(update);
    });
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      const conn = origin as Connection | undefined;
      if (conn && this.conns.has(conn)) {
        for (const id of added) conn.awarenessClients.add(id);
        for (const id of removed) conn.awarenessClients.delete(id);
      }
      this.relay(encodeAwareness(awareness, changed), null);
      if (origin !== REMOTE_ORIGIN) this.fanout?.awareness(awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
    });
  }

  static async load(
    db: Db,
    notebookId: string,
    log: Logger,
    onIdle: (room: Room) => void,
    fanout: RoomFanout | null = null,
  ): Promise<Room> {
    const stored = await loadStoredDoc(db, notebookId);
    const doc = new Y.Doc({ gc: true });
    Y.applyUpdate(doc, stored.update);
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null);
    const room = new Room(notebookId, doc, awareness, stored.epoch, stored.pendingUpdates, db, log, onIdle, fanout);
    room.scheduleIdle();
    return room;
  }

  join(conn: Connection): void {
    // Colours are chosen per room, so the people in it are told apart at a glance.
    const taken = new Map([...this.conns].map((c) => [c.userId, c.presence.color] as const));
    conn.presence = { ...conn.presence, color: roomColor(conn.userId, taken) };
    this.conns.add(conn);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    send(conn, encodeSyncStep1(this.doc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length) send(conn, encodeAwareness(this.awareness, states));
  }

  leave(conn: Connection): void {
    if (!this.conns.delete(conn)) return;
    awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessClients], null);
    this.scheduleIdle();
  }

  /** Handles one frame from a client; serialised per room so stored order is applied order. */
  receive(conn: Connection, data: Uint8Array): Promise<void> {
    this.chain = this.chain
      // The embedded database stores on this thread and answers through promises alone: without a
      // turn of the event loop between frames, a burst of large changes would hold every other
      // request until the last one is stored.
      .then(() => (data.byteLength > LARGE_FRAME_BYTES ? new Promise<void>((resolve) => setImmediate(resolve)) : undefined))
      .then(() => this.handle(conn, data))
      .catch((error: unknown) => this.log.error('room message failed', { error: String(error) }));
    return this.chain;
  }

  private async handle(conn: Connection, data: Uint8Array) {
    if (!this.conns.has(conn)) return;
    let msg;
    try {
      msg = decodeMessage(data);
    } catch (error) {
      if (!(error instanceof MalformedMessageError)) throw error;
      this.log.warn('malformed collab message; closing that socket', {
        notebookId: this.notebookId,
        userId: conn.userId,
        error: error.message,
      });
      return close(conn, closeCodes.malformed);
    }
    switch (msg.kind) {
      case 'sync-step1':
        return send(conn, encodeSyncStep2(this.doc, msg.stateVector));
      case 'awareness':
        try {
          const claimed = claimPresence(msg.update, conn.presence, (id) => this.heldByOther(conn, id));
          awarenessProtocol.applyAwarenessUpdate(this.awareness, claimed, conn);
        } catch (error) {
          if (!(error instanceof MalformedAwarenessError)) this.log.warn('awareness update failed', { error: String(error) });
          return close(conn, closeCodes.malformed);
        }
        return;
      case 'update':
        return this.applyClientUpdate(conn, msg.update);
    }
  }

  private async applyClientUpdate(conn: Connection, update: Uint8Array) {
    if (conn.role === 'viewer') {
      // Refused and logged; the viewer's copy is brought back by the next sync from the server.
      this.log.warn('refused an edit from a viewer', { notebookId: this.notebookId, userId: conn.userId, bytes: update.byteLength });
      return;
    }
    if (update.byteLength > collabLimits.maxUpdateBytes)
      return close(
        conn,
        closeCodes.tooLarge,
        `a change of ${update.byteLength} bytes exceeds the ${collabLimits.maxUpdateBytes}-byte limit`,
      );
    try {
      // Decoding up front proves the bytes are an update before they are stored.
      Y.decodeUpdate(update);
    } catch {
      return close(conn, closeCodes.malformed, 'not a Yjs update');
    }
    const foreign = foreignRootTypes(update);
    if (foreign.length) {
      this.log.warn('refused a change outside the notebook schema', { notebookId: this.notebookId, userId: conn.userId, roots: foreign });
      return close(conn, closeCodes.schemaViolation, `only the notebook's cells and meta may change, not "${foreign[0]!.slice(0, 40)}"`);
    }
    if (Y.encodeStateAsUpdate(this.doc).byteLength + update.byteLength > collabLimits.maxDocumentBytes)
      return close(conn, closeCodes.tooLarge, `the notebook would exceed ${collabLimits.maxDocumentBytes} bytes`);
    if (isNoop(this.doc, update)) return;
    try {
      await appendUpdate(this.db, this.notebookId, update);
    } catch (error) {
      this.log.error('could not store an update; nothing relayed', { notebookId: this.notebookId, error: String(error) });
      return close(conn, closeCodes.storageFailed);
    }
    Y.applyUpdate(this.doc, update, conn);
    this.noteEdit(conn.userId);
    await this.maybeCompact();
  }

  private lastEditMark = 0;
  /** At most every few seconds per room: typing must not turn into a write per keystroke. */
  private noteEdit(userId: string) {
    const now = Date.now();
    if (now - this.lastEditMark < EDIT_MARK_EVERY_MS) return;
    this.lastEditMark = now;
    void markEdited(this.db, this.notebookId, userId).catch((error: unknown) =>
      this.log.warn('could not mark the notebook edited', { notebookId: this.notebookId, error: String(error) }),
    );
  }

  /** A change made by the server itself (cell outputs, execution state): stored, then relayed. */
  applyServerChange(change: (doc: Y.Doc) => void): Promise<void> {
    const run = async () => {
      const before = Y.encodeStateVector(this.doc);
      const scratch = new Y.Doc();
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(this.doc));
      scratch.clientID = this.doc.clientID;
      change(scratch);
      const update = Y.encodeStateAsUpdate(scratch, before);
      scratch.destroy();
      if (isNoop(this.doc, update)) return;
      await appendUpdate(this.db, this.notebookId, update);
      Y.applyUpdate(this.doc, update, SERVER_ORIGIN);
      await this.maybeCompact();
    };
    const result = this.chain.then(run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** An update another instance stored and sent: applied and relayed here, not stored again. */
  applyRemoteUpdate(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
    // A missed message leaves updates waiting for what they build on: fill the gap from storage.
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) void this.refreshFromStorage();
  }

  applyRemoteAwareness(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN);
  }

  /** Merges everything stored (Yjs merging is idempotent): covers messages lost between instances. */
  async refreshFromStorage(): Promise<void> {
    const stored = await loadStoredDoc(this.db, this.notebookId);
    Y.applyUpdate(this.doc, stored.update, REMOTE_ORIGIN);
  }

  /** True when another connection in this room already speaks for that awareness client id. */
  private heldByOther(conn: Connection, clientId: number): boolean {
    for (const other of this.conns) if (other !== conn && other.awarenessClients.has(clientId)) return true;
    return false;
  }

  private relay(message: Uint8Array, origin: unknown) {
    for (const conn of this.conns) if (conn !== origin) send(conn, message);
  }

  private async maybeCompact() {
    if (++this.sinceCompaction < collabLimits.compactEveryUpdates) return;
    this.sinceCompaction = 0;
    await compactStoredDoc(this.db, this.notebookId).catch((error: unknown) =>
      this.log.warn('compaction failed; will retry', { error: String(error) }),
    );
  }

  private scheduleIdle() {
    if (this.conns.size > 0) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.onIdle(this), collabLimits.idleUnloadMs);
    this.idleTimer.unref();
  }

  async unload(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.chain;
    if (this.sinceCompaction > 0) await compactStoredDoc(this.db, this.notebookId).catch(() => undefined);
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/** True when the update adds nothing the document does not have (a re-sent or empty update). */
function isNoop(doc: Y.Doc, update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update);
  if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return true;
  const sv = Y.decodeStateVector(Y.encodeStateVector(doc));
  const covered = decoded.structs.every((s) => (sv.get(s.id.client) ?? 0) >= s.id.clock + s.length);
  return covered && decoded.ds.clients.size === 0;
}

export function send(conn: Connection, message: Uint8Array): void {
  if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(message, (err) => err && conn.socket.terminate());
}

export function close(conn: Connection, code: { code: number; reason: string }, detail?: string): void {
  conn.socket.close(code.code, (detail ?? code.reason).slice(0, 120));
}
