import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../drizzle/client';
import { postgresAdminUrl, requireService } from './services';

export type TestDbKind = 'pglite' | 'postgres';
export const DB_KINDS: TestDbKind[] = ['pglite', 'postgres'];

export interface TestDatabase {
  kind: TestDbKind;
  /** For postgres: the URL of the fresh database, to hand to a server process. */
  url: string | null;
  database: Database;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database for one test file, so runs never see each other's rows. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgresAdminUrl();
  const name = `ferry_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Opens (and migrates) a fresh database of the given kind; returns null with a logged reason when skipped. */
export async function openTestDatabase(kind: TestDbKind): Promise<TestDatabase | { skip: string }> {
  if (kind === 'pglite') {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    return { kind, url: null, database, drop: () => database.close() };
  }
  const skip = await requireService('PostgreSQL', postgresAdminUrl());
  if (skip) return { skip };
  const fresh = await createPostgresDatabase();
  const database = await openDatabase({ kind: 'postgres', url: fresh.url });
  return {
    kind,
    url: fresh.url,
    database,
    async drop() {
      await database.close();
      await fresh.drop();
    },
  };
}
