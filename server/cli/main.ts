import { parseArgs } from 'node:util';
import type { Database } from '../../drizzle/client';
import { adminUserCreateSchema, adminTokenCreateSchema } from '../../core/contracts/api/admin';
import { openDatabaseFromEnv } from '../context-factory';
import { EnvError, parseServerEnv, type ServerEnv } from '../env';
import { AppError } from '../errors';
import { readLiveServerLock } from '../lockfile';
import { adminUserCreator } from '../operations/identity/admin-user-creator';
import { tokenForEmail } from '../operations/identity/token-creator';
import { driftCommand } from './drift-command';

// `npm run ferry -- <command>`: the admin CLI. With the embedded database and a running server it goes
// through the server (PGlite allows one process); otherwise it opens the database itself.

const USAGE = `usage: npm run ferry -- <command>
  user create --email E --password P [--name N] [--role owner|editor|viewer] [--approver] [--workspace SLUG]
  token create --email E [--name N]
  db migrate
  drift --reference ref.csv --current cur.csv [--json]   (offline; no server or database needed)`;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

async function main(argv: string[]): Promise<void> {
  const [group, action, ...rest] = argv;
  if (!group || group === '--help' || group === 'help') return void console.log(USAGE);
  if (group === 'drift') return runDrift(argv.slice(1));
  const env = parseServerEnv();
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      approver: { type: 'boolean', default: false },
      workspace: { type: 'string' },
    },
    strict: true,
  });
  switch (`${group} ${action ?? ''}`.trim()) {
    case 'user create': {
      const body = validate(adminUserCreateSchema, {
        email: values.email,
        password: values.password,
        name: values.name,
        role: values.role ?? 'owner',
        approver: values.approver || (values.role ?? 'owner') === 'owner',
        workspaceSlug: values.workspace,
      });
      const result = await viaServerOrDb(env, '/api/admin/users', body, (db) => adminUserCreator(db.db, body));
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    case 'token create': {
      const body = validate(adminTokenCreateSchema, { email: values.email, name: values.name ?? 'cli token' });
      const result = (await viaServerOrDb(env, '/api/admin/tokens', body, (db) => tokenForEmail(db.db, body))) as { token: string };
      console.log(result.token);
      console.error('This token is shown once; store it now. Use it as: Authorization: Bearer <token>');
      return;
    }
    case 'db migrate': {
      if (!env.DATABASE_URL && readLiveServerLock(env.dataDir)) {
        console.log('the running server already applied migrations at start');
        return;
      }
      const db = await openDatabaseFromEnv(env);
      await db.close();
      console.log(`migrations applied (${env.DATABASE_URL ? 'postgres' : 'pglite'})`);
      return;
    }
    default:
      throw new CliError(`unknown command "${argv.join(' ')}"\n${USAGE}`);
  }
}

function runDrift(args: string[]): void {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { reference: { type: 'string' }, current: { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\nusage: npm run ferry -- drift --reference ref.csv --current cur.csv [--json]`);
  }
  const result = driftCommand(values);
  if (result.stdout) console.log(result.stdout);
  if (result.exitCode !== 0) throw new CliError(result.stderr.replace(/^ferry drift: /, ''), result.exitCode);
}

function validate<T>(
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  },
  value: unknown,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new CliError(parsed.error.issues.map((i) => `--${i.path.join('.') || 'input'}: ${i.message}`).join('\n'));
}

async function viaServerOrDb(env: ServerEnv, path: string, body: unknown, direct: (db: Database) => Promise<unknown>) {
  const lock = env.DATABASE_URL ? null : readLiveServerLock(env.dataDir);
  if (lock) {
    const res = await fetch(`${lock.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ferry-admin-key': lock.adminKey },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { error?: { message: string } };
    if (!res.ok) throw new CliError(json.error?.message ?? `server answered ${res.status}`, res.status === 409 ? 3 : 2);
    return json;
  }
  const db = await openDatabaseFromEnv(env);
  try {
    return await direct(db);
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof CliError) console.error(`error: ${error.message}`);
    else if (error instanceof EnvError) console.error(error.message);
    else if (error instanceof AppError) console.error(`error: ${error.message}`);
    else console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof CliError ? error.exitCode : error instanceof AppError && error.code === 'CONFLICT' ? 3 : 1);
  },
);
