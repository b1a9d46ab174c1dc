import { chmodSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema';

export type Schema = typeof schema;
/** The one database type the rest of the code sees, whichever engine is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | null };

/** Opens and migrates. PGlite with dataDir null is in memory (tests); otherwise file-backed. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const database = target.kind === 'postgres' ? await openPostgres(target.url) : await openPglite(target.dataDir);
  try {
    await migrateDatabase(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Fail at start with a clear message rather than on the first request.
  const client = await pool.connect().catch(async (error: unknown) => {
    await pool.end();
    throw new Error(`cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}`);
  });
  client.release();
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return { db, kind: 'postgres', close: () => pool.end() };
}

const BYTEA_OID = 17;

async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) {
    // The database files are the server's alone (kernels and other local users must not read them).
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
  }
  // PGlite's own bytea codecs turn each byte into a string and back (seconds for a few MB of notebook
  // state, on the request thread); Buffer's hex codec does the same work natively.
  const byteaCodecs = {
    parsers: { [BYTEA_OID]: (text: string) => new Uint8Array(Buffer.from(text.slice(2), 'hex')) },
    serializers: { [BYTEA_OID]: (value: unknown) => `\\x${Buffer.from(value as Uint8Array).toString('hex')}` },
  };
  const client = new PGlite(dataDir ?? undefined, byteaCodecs);
  await client.waitReady.catch((error: unknown) => {
    throw new Error(
      `cannot open the embedded database in ${dataDir}: ${(error as Error).message}. ` +
        'Only one process may open it at a time; with a running server, use the CLI through it (--server).',
    );
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', close: () => client.close() };
}

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'postgres') await migratePg(database.db as never, { migrationsFolder });
  else await migratePglite(database.db as never, { migrationsFolder });
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
