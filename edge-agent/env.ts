import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';

// Flags win over environment variables; everything is validated at start with a list of what is wrong.
const schema = z.object({
  server: z.string().url('--server must be the Ferry server URL, e.g. http://ferry.local:3000'),
  enroll: z.string().min(1).optional(),
  dataDir: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string(),
  pollMs: z.coerce.number().int().min(100),
  driftEvery: z.coerce.number().int().min(1),
  driftWindow: z.coerce.number().int().min(10),
  statsEveryMs: z.coerce.number().int().min(100),
  name: z.string().optional(),
});

/** Every environment variable the agent reads (the deployment files are checked against this list). */
export const AGENT_ENV_VARS = [
  'FERRY_SERVER',
  'FERRY_ENROLL_TOKEN',
  'FERRY_AGENT_DATA_DIR',
  'FERRY_AGENT_PORT',
  'FERRY_AGENT_HOST',
  'FERRY_AGENT_POLL_MS',
  'FERRY_AGENT_DRIFT_EVERY',
  'FERRY_AGENT_DRIFT_WINDOW',
  'FERRY_AGENT_STATS_EVERY_MS',
  'FERRY_AGENT_NAME',
  'FERRY_AGENT_BACKEND',
] as const;

export type AgentConfig = z.infer<typeof schema>;

export class AgentConfigError extends Error {}

export function parseAgentConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): AgentConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        server: { type: 'string' },
        enroll: { type: 'string' },
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        name: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new AgentConfigError(
      `${(error as Error).message}\nusage: npm run agent -- --server URL [--enroll TOKEN] [--data-dir DIR] [--port 8700] [--name NAME]`,
    );
  }
  const parsed = schema.safeParse({
    server: values.server ?? env.FERRY_SERVER,
    enroll: values.enroll ?? env.FERRY_ENROLL_TOKEN,
    dataDir: resolve(values['data-dir'] ?? env.FERRY_AGENT_DATA_DIR ?? './.ferry-agent'),
    port: values.port ?? env.FERRY_AGENT_PORT ?? 8700,
    host: values.host ?? env.FERRY_AGENT_HOST ?? '127.0.0.1',
    pollMs: env.FERRY_AGENT_POLL_MS ?? 2000,
    driftEvery: env.FERRY_AGENT_DRIFT_EVERY ?? 100,
    driftWindow: env.FERRY_AGENT_DRIFT_WINDOW ?? 1000,
    statsEveryMs: env.FERRY_AGENT_STATS_EVERY_MS ?? 60_000,
    name: values.name ?? env.FERRY_AGENT_NAME,
  });
  if (!parsed.success)
    throw new AgentConfigError(
      `invalid agent configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  return { ...parsed.data, server: parsed.data.server.replace(/\/$/, '') };
}
