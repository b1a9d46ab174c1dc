import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { closeCodes } from '../../core/contracts/close-codes';
import { eq } from 'drizzle-orm';
import { users } from '../../drizzle/schema';
import { presenceUser, type PresenceUser } from '../../core/notebook/presence';
import { resolveActor } from '../auth/credentials';
import { foreignOriginReason } from '../http/same-origin';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import type { NotebookDocs } from '../execution/notebook-docs';
import { notebookToData } from '../../core/notebook/notebook-doc';
import { versionRecorder } from '../operations/notebooks/version-recorder';
import { authorizeNotebook, type Role } from '../policies/authorize';
import { loadStoredDoc } from './doc-store';
import { collabLimits } from './limits';
import { accessChangedSchema, type AccessChanged } from '../../core/contracts/messages/collab-fanout';
import { subjects } from '../../core/contracts/subjects';
import { linkInstances, type CrossInstanceLink } from './instance-link';
import { close, Room, type Connection } from './room';

// The collaboration server: y-websocket protocol at /yjs/<notebookId>, authorised on connect, rooms
// loaded on demand and unloaded when idle.

export interface CollabService extends NotebookDocs {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Re-checks a user's open sockets after a membership change: downgrades or closes them. */
  accessChanged(userId: string): Promise<void>;
  stop(): Promise<void>;
}

const PATH = /^\/yjs\/([0-9a-f-]{36})$/;

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function createCollabService(ctx: AppContext): Promise<CollabService> {
  const log = ctx.log.child('collab');
  const wss = new WebSocketServer({ noServer: true, maxPayload: collabLimits.maxFrameBytes });
  const rooms = new Map<string, Room>();
  const loading = new Map<string, Promise<Room>>();

  function room(notebookId: string): Promise<Room> {
    const loaded = rooms.get(notebookId);
    if (loaded) return Promise.resolve(loaded);
    let pending = loading.get(notebookId);
    if (!pending) {
      pending = openRoom(notebookId)
        .then((r) => {
          rooms.set(notebookId, r);
          return r;
        })
        .finally(() => loading.delete(notebookId));
      loading.set(notebookId, pending);
    }
    return pending;
  }

  /** Automatic history: the same content is recorded once (content-hashed), so idle rooms cost a hash. */
  const checkpointedAt = new WeakMap<Room, number>();
  async function checkpoint(r: Room) {
    // A room unchanged since its last checkpoint (or since it loaded) has nothing new to record.
    if (r.changes === (checkpointedAt.get(r) ?? 0)) return;
    checkpointedAt.set(r, r.changes);
    try {
      await versionRecorder(ctx.db, { notebookId: r.notebookId, data: notebookToData(r.doc), kind: 'checkpoint', userId: null });
    } catch (error) {
      log.warn('automatic checkpoint failed', { notebookId: r.notebookId, error: (error as Error).message });
    }
  }
  const checkpoints = setInterval(() => {
    for (const r of rooms.values()) void checkpoint(r);
  }, ctx.env.FERRY_CHECKPOINT_MINUTES * 60_000);
  checkpoints.unref();

  const links = new Map<string, CrossInstanceLink>();

  /** Downgrades or closes a user's open sockets on this instance after a membership change. */
  async function recheckAccess(userId: string) {
    for (const r of rooms.values()) {
      for (const conn of [...r.conns].filter((c) => c.userId === userId)) {
        try {
          const { membership } = await authorizeNotebook(ctx.db, { kind: 'user', userId, via: 'session' }, r.notebookId, 'notebook.read');
          conn.role = membership.role;
        } catch {
          close(conn, closeCodes.forbidden);
        }
      }
    }
  }
  // Sockets of that user may sit on another instance: each one re-checks its own.
  const accessSub =
    ctx.bus.kind === 'nats'
      ? await ctx.bus.subscribe(subjects.collabAccessChanged, (msg) => {
          const parsed = accessChangedSchema.safeParse(msg.json());
          if (parsed.success && parsed.data.origin !== ctx.serverSessionId) void recheckAccess(parsed.data.userId);
        })
      : null;

  /** With NATS, every instance serving a notebook shares its updates and presence with the others. */
  async function openRoom(notebookId: string): Promise<Room> {
    if (ctx.bus.kind !== 'nats') return Room.load(ctx.db, notebookId, log, (idle) => void unload(idle));
    const link = await linkInstances(ctx.bus, notebookId, ctx.serverSessionId, log);
    const r = await Room.load(ctx.db, notebookId, log, (idle) => void unload(idle), link.fanout);
    link.attach(r);
    links.set(notebookId, link);
    // Whatever another instance stored between our load and our subscription is merged in now.
    await r.refreshFromStorage();
    return r;
  }

  async function unload(r: Room) {
    if (r.conns.size > 0 || rooms.get(r.notebookId) !== r) return;
    rooms.delete(r.notebookId);
    await links.get(r.notebookId)?.close();
    links.delete(r.notebookId);
    await checkpoint(r);
    await r.unload();
    log.debug('room unloaded', { notebookId: r.notebookId });
  }

  /**
   * Browsers come with their session cookie, from this server's own origin only (a foreign page's
   * upgrade carries the cookie too); token clients send `Authorization: Bearer`. Tokens in the URL end
   * up in logs and histories, so they are refused rather than ignored.
   */
  async function authorize(
    req: IncomingMessage,
    notebookId: string,
    url: URL,
  ): Promise<{ userId: string; role: Role; presence: PresenceUser }> {
    const foreign = foreignOriginReason((name) => headerOf(req, name), ctx.env.FERRY_PUBLIC_URL);
    if (foreign) throw new AppError('FORBIDDEN', foreign);
    if (url.searchParams.has('token'))
      throw new AppError('UNAUTHENTICATED', 'tokens are not accepted in the URL; send Authorization: Bearer <token>');
    const actor = await resolveActor(ctx.db, { cookie: req.headers.cookie, authorization: req.headers.authorization });
    if (actor.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'sign in, or send Authorization: Bearer <token>');
    const { membership } = await authorizeNotebook(ctx.db, actor, notebookId, 'notebook.read');
    const [user] = await ctx.db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(eq(users.id, actor.userId));
    if (!user) throw new AppError('UNAUTHENTICATED', 'sign in again');
    return { userId: actor.userId, role: membership.role, presence: presenceUser(user) };
  }

  function reject(socket: Duplex, status: number, message: string) {
    socket.end(
      `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Error'}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${message}`,
    );
  }

  async function accept(req: IncomingMessage, socket: Duplex, head: Buffer, notebookId: string) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let who: { userId: string; role: Role; presence: PresenceUser };
    try {
      who = await authorize(req, notebookId, url);
    } catch (error) {
      const status = error instanceof AppError ? error.status : 500;
      if (!(error instanceof AppError)) log.error('collab authorisation failed', { error: String(error) });
      return reject(socket, status, error instanceof AppError ? error.message : 'internal error');
    }
    const r = await room(notebookId);
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const conn: Connection = { socket: ws, userId: who.userId, role: who.role, presence: who.presence, awarenessClients: new Set() };
      const seenEpoch = url.searchParams.get('epoch');
      if (seenEpoch && r.epoch && seenEpoch !== r.epoch) return close(conn, closeCodes.staleDocument);
      ws.binaryType = 'nodebuffer';
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) return close(conn, closeCodes.malformed, 'text frames are not part of the protocol');
        void r.receive(conn, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      });
      ws.on('error', (error) => {
        const tooBig = /max payload/i.test(error.message);
        log.warn('collab socket error', { notebookId, error: error.message });
        if (tooBig) close(conn, closeCodes.tooLarge);
      });
      ws.on('close', () => r.leave(conn));
      r.join(conn);
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const match = path.match(PATH);
      if (!path.startsWith('/yjs/')) return false;
      if (!match) {
        reject(socket, 404, 'collaboration path is /yjs/<notebook id>');
        return true;
      }
      accept(req, socket, head, match[1]!).catch((error: unknown) => {
        log.error('collab upgrade failed', { error: String(error) });
        reject(socket, 500, 'internal error');
      });
      return true;
    },
    async applyServerChange(notebookId, change) {
      await (await room(notebookId)).applyServerChange(change);
    },
    async readNotebook(notebookId) {
      const doc = new Y.Doc();
      const loaded = rooms.get(notebookId);
      Y.applyUpdate(doc, loaded ? Y.encodeStateAsUpdate(loaded.doc) : (await loadStoredDoc(ctx.db, notebookId)).update);
      return doc;
    },
    async accessChanged(userId) {
      await recheckAccess(userId);
      if (ctx.bus.kind === 'nats')
        await ctx.bus.publish(subjects.collabAccessChanged, { v: 1, origin: ctx.serverSessionId, userId } satisfies AccessChanged);
    },
    async stop() {
      clearInterval(checkpoints);
      await accessSub?.unsubscribe();
      for (const link of links.values()) await link.close();
      for (const r of rooms.values()) for (const c of r.conns) close(c, closeCodes.serverShutdown);
      await Promise.all([...rooms.values()].map((r) => r.unload()));
      rooms.clear();
      wss.close();
    },
  };
}
