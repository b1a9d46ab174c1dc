import { resolve } from 'node:path';
import { z } from 'zod';

// The kernel sandbox's settings. The same variables are read by a standalone worker (workers/env.ts)
// and by the server for its embedded workers (server/env.ts), so both validate them with this shape.

export const kernelSandboxEnvShape = {
  /** 1 runs kernels without the sandbox, as the worker's own user with its files in reach. */
  FERRY_UNSAFE_KERNELS: z.enum(['0', '1']).default('0'),
  FERRY_KERNEL_BWRAP: z.string().startsWith('/', 'must be an absolute path').default('/usr/bin/bwrap'),
  /** A worker running as root gives each kernel its own uid from [base, base + count). */
  FERRY_KERNEL_UID_BASE: z.coerce.number().int().min(1000).max(4_000_000_000).default(200_000),
  FERRY_KERNEL_UID_COUNT: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  FERRY_KERNEL_CPU_SECONDS: z.coerce.number().int().min(1).default(86_400),
  FERRY_KERNEL_MAX_PROCS: z.coerce.number().int().min(16).max(100_000).default(512),
  FERRY_KERNEL_MAX_OPEN_FILES: z.coerce.number().int().min(64).max(1_048_576).default(1024),
  FERRY_KERNEL_MAX_FILE_MB: z.coerce.number().int().min(1).max(1_048_576).default(1024),
  /** Size of the kernel's private /tmp and of its home, each a tmpfs. */
  FERRY_KERNEL_TMP_MB: z.coerce.number().int().min(16).max(1_048_576).default(1024),
} as const;

const schema = z.object(kernelSandboxEnvShape);
export type KernelSandboxEnv = z.infer<typeof schema>;

export interface KernelSandboxConfig {
  unsafe: boolean;
  bwrap: string;
  uidRange: { base: number; count: number };
  limits: { cpuSeconds: number; maxProcs: number; maxOpenFiles: number; maxFileBytes: number; tmpBytes: number };
  /** Host paths a kernel must never see even if they lie inside code it is given (the data dir). */
  hiddenPaths: string[];
}

const MB = 1024 * 1024;

/** The sandbox settings from validated variables; hiddenPaths are resolved against the cwd. */
export function kernelSandboxConfig(env: KernelSandboxEnv, hiddenPaths: string[]): KernelSandboxConfig {
  return {
    unsafe: env.FERRY_UNSAFE_KERNELS === '1',
    bwrap: env.FERRY_KERNEL_BWRAP,
    uidRange: { base: env.FERRY_KERNEL_UID_BASE, count: env.FERRY_KERNEL_UID_COUNT },
    limits: {
      cpuSeconds: env.FERRY_KERNEL_CPU_SECONDS,
      maxProcs: env.FERRY_KERNEL_MAX_PROCS,
      maxOpenFiles: env.FERRY_KERNEL_MAX_OPEN_FILES,
      maxFileBytes: env.FERRY_KERNEL_MAX_FILE_MB * MB,
      tmpBytes: env.FERRY_KERNEL_TMP_MB * MB,
    },
    hiddenPaths: [...new Set(hiddenPaths.map((p) => resolve(p)))],
  };
}

/** Parses only the sandbox variables (tests and tools that start kernels outside a worker). */
export function kernelSandboxConfigFromEnv(source: Record<string, string | undefined> = process.env): KernelSandboxConfig {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new Error(`invalid kernel sandbox settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return kernelSandboxConfig(parsed.data, [source.FERRY_DATA_DIR ?? './.ferry']);
}
