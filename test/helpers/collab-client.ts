import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

// A real y-websocket client (the one the browser uses), in Node. Browsers authenticate with their
// session cookie; Node clients send the API token as a header on the upgrade (never in the URL).

/** A ws WebSocket class that sends `Authorization: Bearer <token>` on every (re)connect. */
export function bearerWebSocket(token: string, headers: Record<string, string> = {}): typeof globalThis.WebSocket {
  class BearerWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols ?? [], { headers: { ...headers, authorization: `Bearer ${token}` } });
    }
  }
  return BearerWebSocket as unknown as typeof globalThis.WebSocket;
}

export interface CollabClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: Array<{ code: number; reason: string }>;
  synced(): Promise<void>;
  destroy(): void;
}

export function connectCollab(baseUrl: string, notebookId: string, token: string, opts: { connect?: boolean } = {}): CollabClient {
  const doc = new Y.Doc();
  const closes: Array<{ code: number; reason: string }> = [];
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/yjs`, notebookId, doc, {
    WebSocketPolyfill: bearerWebSocket(token),
    connect: opts.connect ?? true,
    maxBackoffTime: 300,
    // Each client talks to the server only: in-process BroadcastChannel sharing would bypass its checks.
    disableBc: true,
  });
  provider.on('connection-close', (event: { code: number; reason: string } | null) => {
    if (event) closes.push({ code: event.code, reason: String(event.reason) });
  });
  return {
    doc,
    provider,
    closes,
    synced: () =>
      new Promise<void>((resolve) => {
        if (provider.synced) return resolve();
        const onSync = (s: boolean) => {
          if (!s) return;
          provider.off('sync', onSync);
          resolve();
        };
        provider.on('sync', onSync);
      }),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
