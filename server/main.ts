import { createServer, type IncomingMessage } from 'node:http';
import { DESIRED_STATE_PATH, handleDesiredState } from './fleet/desired-state-endpoint';
import { sendWebResponse, toWebRequest } from './http/web-bridge';
import { stampClientAddress } from './http/client-address';
import { applySecurityHeaders } from './http/security-headers';
import { MLFLOW_PREFIX, mlflowHandler } from './mlflow/mlflow-route';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { createBus } from '../core/bus';
import { installContext, type AppContext } from './context';
import { createContext, openDatabaseFromEnv } from './context-factory';
import { EnvError, parseServerEnv, type ServerEnv } from './env';
import { removeServerLock, writeServerLock } from './lockfile';
import { ensurePrivateDir } from './store/private-files';
import { createLogger } from './log';
import { startServerServices, type ServerServices } from './services';

// The one server process: UI, HTTP API and collaboration websocket on one port, plus embedded workers.

const root = fileURLToPath(new URL('..', import.meta.url));

export interface RunningServer {
  url: string;
  ctx: AppContext;
  stop(): Promise<void>;
}

export async function startServer(env: ServerEnv): Promise<RunningServer> {
  const log = createLogger(env.FERRY_LOG_LEVEL);
  // Before anything is written into it: the data dir holds the server's secrets.
  ensurePrivateDir(env.dataDir);
  const database = await openDatabaseFromEnv(env);
  log.info(`database: ${database.kind}${database.kind === 'pglite' ? ` in ${env.dataDir}/db` : ''}`);
  const bus = await createBus(env.NATS_URL);
  log.info(`bus: ${bus.kind}${env.NATS_URL ? ` at ${env.NATS_URL}` : ' (in-process)'}`);

  // Until Next.js and the services are ready, answer at once rather than leave requests hanging.
  let ready = false;
  const httpServer = createServer((req, res) => {
    // Every answer, whoever produces it (Next.js, the hot routes, errors, the start-up 503), gets them.
    applySecurityHeaders(req, res, { publicUrl: env.FERRY_PUBLIC_URL, dev: env.FERRY_DEV === '1' });
    stampClientAddress(req);
    if (!ready)
      res
        .writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' })
        .end('{"error":{"code":"UNAVAILABLE","message":"Ferry is starting"}}');
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(env.PORT, env.HOST, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const internalUrl = `http://127.0.0.1:${port}`;

  const ctx = await createContext({ env, database, bus, log, internalUrl });
  installContext(ctx);

  const nextApp = next({ dev: env.FERRY_DEV === '1', dir: root, hostname: 'localhost', port });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();
  const nextUpgrade = nextApp.getUpgradeHandler();

  const services: ServerServices = await startServerServices(ctx);
  httpServer.on('request', (req, res) => {
    if (!ready) return;
    if (req.method === 'GET' && req.url === DESIRED_STATE_PATH) return void handleDesiredState(ctx, req, res);
    // MLflow clients log from training loops: the hottest write path skips Next's routing (log-batch p99).
    if (req.url?.startsWith(MLFLOW_PREFIX)) {
      const path = req.url.slice(MLFLOW_PREFIX.length).split('?')[0]!.split('/').filter(Boolean);
      return void mlflowHandler(toWebRequest(req, internalUrl), { params: Promise.resolve({ path }) })
        .then((response) => sendWebResponse(res, response))
        .catch((error: unknown) => {
          log.error('MLflow request failed', { url: req.url, error: String(error) });
          if (!res.headersSent) res.writeHead(500).end('internal error');
        });
    }
    void handle(req, res).catch((error: unknown) => {
      log.error('request failed', { url: req.url, error: String(error) });
      if (!res.headersSent) res.writeHead(500).end('internal error');
    });
  });
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (services.handleUpgrade(req, socket, head)) return;
    void nextUpgrade(req, socket, head);
  });

  ready = true;
  writeServerLock(env.dataDir, { pid: process.pid, url: internalUrl, adminKey: ctx.adminKey });
  const url = env.FERRY_PUBLIC_URL ?? `http://localhost:${port}`;
  log.info(`Ferry listening on ${url}`);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log.info('shutting down');
      removeServerLock(env.dataDir);
      await services.stop();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await nextApp.close().catch(() => undefined);
      await ctx.close();
      await bus.close();
      await database.close();
      installContext(undefined);
    })());
  return { url, ctx, stop };
}

async function main() {
  let env: ServerEnv;
  try {
    env = parseServerEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const server = await startServer(env);
  const shutdown = () => {
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(`Ferry failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
