import type { Bus } from '../core/bus/port';
import type { Db, DbKind } from '../drizzle/client';
import type { ServerEnv } from './env';
import type { Logger } from './log';
import type { IpFailureCounter } from './auth/sign-in-throttle';
import type { ArtifactStore } from './store/artifact-store';
import type { WorkerRegistry } from './fleet/worker-registry';
import type { KernelSessions } from './execution/kernel-sessions';
import type { NotebookDocs } from './execution/notebook-docs';
import type { DatabaseMonitor } from './database-monitor';
import type { HeavyWork } from './work/heavy-work';
import type { Leadership } from './leadership';

/** Everything an operation needs, built once per process and passed down (never imported as a singleton). */
export interface AppContext {
  env: ServerEnv;
  db: Db;
  dbKind: DbKind;
  /** Whether the database answered its last probe. */
  database: DatabaseMonitor;
  /** Whether this instance runs the once-per-deployment background jobs (server/leadership.ts). */
  leadership: Leadership;
  bus: Bus;
  artifacts: ArtifactStore;
  workers: WorkerRegistry;
  kernels: KernelSessions;
  /** The collaboration layer, set when server services start (see server/services.ts). */
  collab: NotebookDocs;
  /** Worker threads for parsing whose cost the caller controls (uploads, imports). */
  heavyWork: HeavyWork;
  log: Logger;
  /** New on every start: collaboration clients holding state from an older start are told to reload. */
  serverSessionId: string;
  /** Base URL the kernels use to reach the helper API. */
  internalUrl: string;
  /** Per-start secret for the local admin CLI (written to the data dir's server.json, mode 0600). */
  adminKey: string;
  /** Failed sign-ins per client address (in memory; the per-account count is in the database). */
  signInFailures: IpFailureCounter;
  /** AES-256-GCM key for secrets stored encrypted (server/auth/secret-box.ts). */
  secretKey: Buffer;
  close(): Promise<void>;
}

// Next.js bundles route handlers separately from server/main.ts, so module-level singletons would be
// duplicated; the one context is handed over through a global slot instead.
const SLOT = Symbol.for('ferry.context');
type Slot = { [SLOT]?: AppContext };

export function installContext(ctx: AppContext | undefined): void {
  (globalThis as Slot)[SLOT] = ctx;
}

export function currentContext(): AppContext {
  const ctx = (globalThis as Slot)[SLOT];
  if (!ctx) throw new Error('Ferry context is not installed: start the app with `npm start` (server/main.ts), not `next start`');
  return ctx;
}
