import { resolve } from 'node:path';
import { z } from 'zod';
import { kernelSandboxEnvShape } from '../workers/kernel/sandbox-config';

// Every variable the server reads, parsed once at start; a bad value stops start-up with a list of
// everything that is wrong rather than failing later on first use.
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls|ws|wss):\/\//, 'must be a nats:// URL')
    .optional(),
  FERRY_DATA_DIR: z.string().default('./.ferry'),
  FERRY_PUBLIC_URL: z.string().url().optional(),
  /** SMTP server for invitation emails, e.g. smtp://user:pass@mail.example.com:587; unset: links are only shown. */
  FERRY_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  FERRY_SMTP_FROM: z.string().min(3).default('Ferry <ferry@localhost>'),
  FERRY_EMBEDDED_WORKERS: z.coerce.number().int().min(0).max(16).default(1),
  FERRY_SESSION_DAYS: z.coerce.number().positive().default(14),
  FERRY_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** Largest dataset file accepted (spooled to disk as it arrives, refused with 413 past this). */
  FERRY_MAX_DATASET_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  /** Widest dataset accepted: every column's profile is stored with the version. */
  FERRY_MAX_DATASET_COLUMNS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Time and memory one parse of an uploaded file may take on the worker-thread pool before it is refused. */
  FERRY_HEAVY_WORK_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
  FERRY_HEAVY_WORK_MEMORY_MB: z.coerce.number().int().min(64).max(65_536).default(4096),
  /** How often open notebooks get an automatic checkpoint version (unchanged content is not recorded again). */
  FERRY_CHECKPOINT_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(10),
  /** First webhook retry delay; it doubles per attempt (8 attempts). */
  FERRY_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(2000),
  /** Failed sign-ins of one account within the window that lock it (server/auth/sign-in-throttle.ts). */
  FERRY_SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  FERRY_SIGNIN_WINDOW_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(15),
  FERRY_SIGNIN_LOCK_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(15),
  /** Failed sign-ins from one IP address within the window before it gets 429 (any account). */
  FERRY_SIGNIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).max(100_000).default(50),
  /** `1` lets webhooks reach loopback and private addresses (on-premise receivers); never metadata. */
  FERRY_WEBHOOK_ALLOW_PRIVATE: z.enum(['0', '1']).default('0'),
  /** 32 bytes (64 hex or base64) that encrypt webhook secrets at rest; unset: FERRY_DATA_DIR/secret.key (0600). */
  FERRY_SECRET_KEY: z
    .string()
    .refine((v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32, 'must be 32 bytes as 64 hex digits or base64')
    .optional(),
  /** S3-compatible artifact store; without a bucket, artifacts live under FERRY_DATA_DIR/artifacts. */
  FERRY_S3_BUCKET: z.string().min(3).max(63).optional(),
  FERRY_S3_ENDPOINT: z.string().url('must be a URL such as https://s3.eu-west-1.amazonaws.com').optional(),
  FERRY_S3_REGION: z.string().default('us-east-1'),
  FERRY_S3_ACCESS_KEY_ID: z.string().optional(),
  FERRY_S3_SECRET_ACCESS_KEY: z.string().optional(),
  FERRY_S3_PREFIX: z.string().default('ferry/artifacts/'),
  FERRY_S3_PATH_STYLE: z.enum(['0', '1']).default('1'),
  /** Largest single collaboration update, and largest notebook document (Deepnote allows 30 MB). */
  FERRY_MAX_UPDATE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  FERRY_MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(30 * 1024 * 1024),
  /** A room nobody is in is unloaded from memory after this long. */
  FERRY_ROOM_IDLE_MS: z.coerce.number().int().min(100).default(60_000),
  /** What one cell may print before its output ends in a truncation note. */
  FERRY_MAX_CELL_OUTPUT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 * 1024),
  /** A running training's job token lives this long past its worker's last heartbeat. */
  FERRY_TRAINING_TOKEN_TTL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(15 * 60_000),
  /** The longest a background training may run. */
  FERRY_TRAINING_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(24 * 3600_000),
  /** How often open drift alerts are checked for automatic retraining. */
  FERRY_AUTO_RETRAIN_SWEEP_MS: z.coerce.number().int().min(100).default(30_000),
  FERRY_DEV: z.enum(['0', '1']).default('0'),
  FERRY_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** The embedded workers' kernel sandbox (FERRY_UNSAFE_KERNELS, FERRY_KERNEL_*), as for `npm run worker`. */
  ...kernelSandboxEnvShape,
});

export type ServerEnv = z.infer<typeof envSchema> & { dataDir: string };

/** Every variable the server reads (README's table is checked against this list). */
export const SERVER_ENV_KEYS = Object.keys(envSchema.shape);

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export function parseServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) throw new EnvError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const s3 = parsed.data;
  if (s3.FERRY_S3_BUCKET) {
    const missing = (['FERRY_S3_ENDPOINT', 'FERRY_S3_ACCESS_KEY_ID', 'FERRY_S3_SECRET_ACCESS_KEY'] as const).filter((k) => !s3[k]);
    if (missing.length) throw new EnvError(missing.map((k) => `${k}: required when FERRY_S3_BUCKET is set`));
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.FERRY_DATA_DIR) };
}

let settings: ServerEnv | undefined;

/**
 * The validated environment for modules that read a setting at load time (limits, TTLs). The server's
 * entry validates the same schema first and stops with every problem listed, so this never sees a
 * value the schema refuses.
 */
export function serverSettings(): ServerEnv {
  return (settings ??= parseServerEnv());
}
