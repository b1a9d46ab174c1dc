import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresDatabase, type TestDbKind } from './db';
import { natsTestUrl, postgresAdminUrl, requireService } from './services';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  url: string;
  dataDir: string;
  env: Record<string, string>;
  proc: ChildProcess;
  logs(): string;
  /** Graceful stop (SIGTERM), keeping the data for a restart. */
  stop(): Promise<void>;
  /** SIGKILL: the crash case. */
  kill(): Promise<void>;
  /** Stops and removes its data directory and database. */
  dispose(): Promise<void>;
}

export interface ServerOptions {
  db: TestDbKind;
  nats?: boolean;
  /** Reuse a data dir / database of an earlier server (restart tests). */
  reuse?: { dataDir: string; env: Record<string, string> };
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Skip reason when a needed service is absent outside CI (inside CI this throws). */
export async function serverSkipReason(opts: Pick<ServerOptions, 'db' | 'nats'>): Promise<string | null> {
  if (opts.db === 'postgres') {
    const skip = await requireService('PostgreSQL', postgresAdminUrl());
    if (skip) return skip;
  }
  if (opts.nats) return requireService('NATS', natsTestUrl());
  return null;
}

/** Starts the real server (server/main.ts) as a child process; needs `npm run build` done once. */
export async function startServerProcess(opts: ServerOptions): Promise<ServerProcess> {
  if (!existsSync(join(root, '.next', 'BUILD_ID'))) throw new Error('no Next build: run `npm run build` first (npm test does)');
  let dropDb: (() => Promise<void>) | undefined;
  const dataDir = opts.reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'ferry-test-'));
  const env: Record<string, string> = opts.reuse?.env ?? { FERRY_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', FERRY_LOG_LEVEL: 'info' };
  if (!opts.reuse) {
    if (opts.db === 'postgres') {
      const fresh = await createPostgresDatabase();
      env.DATABASE_URL = fresh.url;
      dropDb = fresh.drop;
    }
    if (opts.nats) env.NATS_URL = natsTestUrl();
    Object.assign(env, opts.env ?? {});
  }
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  if (!env.NATS_URL) delete childEnv.NATS_URL;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), opts.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.FERRY_TEST_SERVER_LOGS) process.stderr.write(chunk);
      const match = output.match(/Ferry listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const signal = async (sig: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(sig);
    await exited;
  };
  return {
    url,
    dataDir,
    env,
    proc,
    logs: () => output,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    async dispose() {
      await signal('SIGTERM');
      await dropDb?.();
      if (!opts.reuse) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small JSON client for tests: keeps the session cookie like a browser would. */
export function apiClient(baseUrl: string, auth: { token?: string } = {}) {
  let cookie = '';
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
        ...(cookie ? { cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, json: json as Record<string, any>, headers: res.headers }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body ?? {}, headers),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    delete: (path: string) => call('DELETE', path),
    raw: call,
    get cookie() {
      return cookie;
    },
  };
}

/** The two ways Ferry runs, for tests that must pass on both: the embedded defaults, and PostgreSQL + NATS. */
export const BACKENDS = [
  { name: 'embedded (PGlite, in-process bus)', db: 'pglite' as const, nats: false },
  { name: 'PostgreSQL + NATS', db: 'postgres' as const, nats: true },
];
