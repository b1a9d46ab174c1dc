import { hostname } from 'node:os';
import { z } from 'zod';
import { kernelSandboxConfig, kernelSandboxEnvShape, type KernelSandboxConfig } from './kernel/sandbox-config';

// Everything a worker reads from its environment, validated at start with a list of what is wrong.
const schema = z.object({
  NATS_URL: z.string().regex(/^(nats|tls|ws|wss):\/\//, 'must be a nats:// URL (a standalone worker reaches the server through NATS)'),
  FERRY_WORKER_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ only')
    .optional(),
  FERRY_WORKER_KERNELS: z.coerce.number().int().min(1).max(64).default(4),
  FERRY_WORKER_LABELS: z.string().default(''),
  FERRY_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** A training with no sign of life for this long is handed to another worker. */
  FERRY_TRAINING_ACK_WAIT_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  /** Deliveries of a training (each a worker that died running it) before it is marked failed. */
  FERRY_TRAINING_MAX_DELIVER: z.coerce.number().int().min(1).max(20).default(3),
  ...kernelSandboxEnvShape,
});

/** Every variable this process reads (README's table is checked against this list). */
export const WORKER_ENV_KEYS = Object.keys(schema.shape);

export type WorkerEnv = z.infer<typeof schema> & { workerId: string; labels: string[]; sandbox: KernelSandboxConfig };

export function parseWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid worker environment:\n${problems}`);
  }
  const workerId = parsed.data.FERRY_WORKER_ID ?? defaultWorkerId();
  const labels = parsed.data.FERRY_WORKER_LABELS.split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  // A worker on the server's machine hides the server's data dir from kernels even where code is bound.
  const sandbox = kernelSandboxConfig(parsed.data, [source.FERRY_DATA_DIR || './.ferry']);
  return { ...parsed.data, workerId, labels, sandbox };
}

export function defaultWorkerId(): string {
  const host = hostname()
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 40);
  return `${host}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
}
