import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

// The browser's own collaboration client (y-websocket), run in Node against either server.

export interface BenchClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: Promise<void>;
  destroy(): void;
}

/** A ws WebSocket class that sends the API token as `Authorization: Bearer` (Ferry refuses it in the URL). */
function bearerWebSocket(token: string): typeof globalThis.WebSocket {
  class BearerWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols ?? [], { headers: { authorization: `Bearer ${token}` } });
    }
  }
  return BearerWebSocket as unknown as typeof globalThis.WebSocket;
}

export function connect(serverUrl: string, room: string, params: Record<string, string> = {}): BenchClient {
  const doc = new Y.Doc();
  const { token, ...query } = params;
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: token ? bearerWebSocket(token) : (WebSocket as unknown as typeof globalThis.WebSocket),
    params: query,
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    const onSync = (s: boolean) => {
      if (!s) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
  return {
    doc,
    provider,
    synced,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}
