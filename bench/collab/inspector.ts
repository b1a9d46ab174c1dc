import { WebSocket } from 'ws';

// Memory of a server process measured the way a heap profiler does: through its inspector
// (started with --inspect), force a full garbage collection, then read process.memoryUsage(). RSS
// alone moves by hundreds of MB whenever V8 returns memory, which would drown a per-room cost.

export const INSPECT_FLAG = '--inspect=127.0.0.1:0';

export function inspectorUrlIn(output: string): string | null {
  return output.match(/Debugger listening on (ws:\/\/\S+)/)?.[1] ?? null;
}

export interface Inspector {
  /** heapUsed + external bytes after a forced full GC. */
  liveBytes(): Promise<number>;
  close(): void;
}

export async function connectInspector(url: string): Promise<Inspector> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    async liveBytes() {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const result = (await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      })) as { result: { value: string } };
      const usage = JSON.parse(result.result.value) as { heapUsed: number; external: number };
      return usage.heapUsed + usage.external;
    },
    close: () => ws.close(),
  };
}
