import { createConnection, createServer } from 'node:net';

// In CI a missing service is a failure, never a skip; on a laptop without it, the test says why it skipped.
export const IN_CI = process.env.CI === 'true';

export function postgresAdminUrl(): string {
  return process.env.FERRY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export function natsTestUrl(): string {
  return process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
}

export async function reachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port) || (u.protocol.startsWith('postgres') ? 5432 : 4222);
  return new Promise((resolve) => {
    const socket = createConnection({ host: u.hostname, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Returns a skip reason, or null when the service is there; throws in CI when it is not. */
export async function requireService(name: string, url: string): Promise<string | null> {
  if (await reachable(url)) return null;
  const message = `${name} is not reachable at ${url}`;
  if (IN_CI) throw new Error(`${message} (CI requires it; .ci/run starts it)`);
  return `${message}; skipping (set CI=true to make this a failure)`;
}

/** A TCP port free right now on 127.0.0.1, for a process that must keep its port across a restart. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}
