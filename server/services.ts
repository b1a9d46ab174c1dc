import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AppContext } from './context';

// Long-lived parts of the server process beside HTTP: collaboration rooms, cell-event ingestion,
// embedded workers. Started after the context, stopped before it.
export interface ServerServices {
  /** Returns true when the upgrade was for one of ours (e.g. /yjs/...), false to let Next have it. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  stop(): Promise<void>;
}

export async function startServerServices(ctx: AppContext): Promise<ServerServices> {
  const stops: Array<() => Promise<void>> = [];
  ctx.log.debug('services started');
  return {
    handleUpgrade: () => false,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
