import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Bus } from '../core/bus/port';
import { openDatabase, type Database } from '../drizzle/client';
import type { AppContext } from './context';
import type { ServerEnv } from './env';
import { createLogger, type Logger } from './log';
import { createFilesystemArtifactStore, type ArtifactStore } from './store/artifact-store';
import { createS3ArtifactStore } from './store/s3-artifact-store';
import { createWorkerRegistry } from './fleet/worker-registry';
import { createKernelSessions } from './execution/kernel-sessions';
import { loadSecretKey } from './auth/secret-box';
import { IpFailureCounter } from './auth/sign-in-throttle';
import type { NotebookDocs } from './execution/notebook-docs';
import { monitorDatabase } from './database-monitor';
import { createHeavyWork } from './work/heavy-work';
import { soleLeader, startLeadership } from './leadership';

// Builds the context in the server process (and the CLI); route handlers only ever read it.
export interface ContextParts {
  env: ServerEnv;
  database: Database;
  bus: Bus;
  log?: Logger;
  internalUrl: string;
}

export async function createContext(parts: ContextParts): Promise<AppContext> {
  const log = parts.log ?? createLogger(parts.env.FERRY_LOG_LEVEL);
  const artifacts = await openArtifactStore(parts.env, log);
  const workers = await createWorkerRegistry(parts.bus, log.child('fleet'));
  const heavyWork = createHeavyWork({ timeoutMs: parts.env.FERRY_HEAVY_WORK_TIMEOUT_MS, memoryMb: parts.env.FERRY_HEAVY_WORK_MEMORY_MB });
  const database = monitorDatabase(parts.database.db, log);
  const leadership =
    parts.database.kind === 'postgres' && parts.env.DATABASE_URL
      ? startLeadership({ databaseUrl: parts.env.DATABASE_URL, log: log.child('leadership') })
      : soleLeader;
  return {
    env: parts.env,
    db: parts.database.db,
    dbKind: parts.database.kind,
    database,
    leadership,
    bus: parts.bus,
    artifacts,
    workers,
    kernels: createKernelSessions(parts.bus, workers, log.child('kernels')),
    collab: collabNotStarted,
    heavyWork,
    log,
    serverSessionId: randomUUID(),
    internalUrl: parts.internalUrl,
    adminKey: randomBytes(24).toString('base64url'),
    signInFailures: new IpFailureCounter({
      ipMaxFailures: parts.env.FERRY_SIGNIN_IP_MAX_FAILURES,
      windowMs: parts.env.FERRY_SIGNIN_WINDOW_MINUTES * 60_000,
    }),
    secretKey: loadSecretKey(parts.env.dataDir, parts.env.FERRY_SECRET_KEY),
    async close() {
      await leadership.stop();
      database.close();
      await workers.close();
      await heavyWork.close();
    },
  };
}

/** S3 when a bucket is configured (checked now, so a wrong bucket or key stops start-up), else the data dir. */
async function openArtifactStore(env: ServerEnv, log: Logger): Promise<ArtifactStore> {
  if (!env.FERRY_S3_BUCKET) {
    const root = join(env.dataDir, 'artifacts');
    log.info(`artifact store: filesystem at ${root}`);
    return createFilesystemArtifactStore(root);
  }
  const store = createS3ArtifactStore({
    endpoint: env.FERRY_S3_ENDPOINT!,
    bucket: env.FERRY_S3_BUCKET,
    prefix: env.FERRY_S3_PREFIX,
    pathStyle: env.FERRY_S3_PATH_STYLE === '1',
    region: env.FERRY_S3_REGION,
    accessKeyId: env.FERRY_S3_ACCESS_KEY_ID!,
    secretAccessKey: env.FERRY_S3_SECRET_ACCESS_KEY!,
  });
  await store.checkBucket();
  log.info(`artifact store: S3 bucket ${env.FERRY_S3_BUCKET} at ${env.FERRY_S3_ENDPOINT} (prefix ${env.FERRY_S3_PREFIX})`);
  return store;
}

export async function openDatabaseFromEnv(env: ServerEnv): Promise<Database> {
  return env.DATABASE_URL
    ? openDatabase({ kind: 'postgres', url: env.DATABASE_URL })
    : openDatabase({ kind: 'pglite', dataDir: join(env.dataDir, 'db') });
}

const notStarted = async (): Promise<never> => {
  throw new Error('the collaboration service is not started in this process');
};
const collabNotStarted: NotebookDocs = { applyServerChange: notStarted, readNotebook: notStarted, accessChanged: async () => undefined };
