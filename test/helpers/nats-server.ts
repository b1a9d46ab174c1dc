import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IN_CI, freePort, reachable } from './services';

// A NATS server of the test's own, so that a test can stop and restart it without disturbing the
// shared one every other test uses. Same binary and flags as .ci/run starts (JetStream, file store).

const BINARY = '/usr/sbin/nats-server';

export interface PrivateNats {
  url: string;
  /** SIGKILL: the server vanishes as in a crash; JetStream keeps what it had stored on disk. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** Skip reason when nats-server is not installed outside CI (inside CI this throws). */
export function privateNatsSkipReason(): string | null {
  if (existsSync(BINARY)) return null;
  if (IN_CI) throw new Error(`${BINARY} is missing (CI requires it)`);
  return `${BINARY} is not installed; skipping`;
}

export async function startPrivateNats(): Promise<PrivateNats> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'ferry-nats-'));
  const url = `nats://127.0.0.1:${port}`;
  let proc: ChildProcess | null = null;
  const start = async () => {
    proc = spawn(BINARY, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (!(await reachable(url, 200))) {
      if (Date.now() > deadline) throw new Error(`nats-server did not listen on ${url}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const kill = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    kill,
    start,
    async dispose() {
      await kill();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
