import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db } from '../../drizzle/client';
import { apiTokens, devices, sessions } from '../../drizzle/schema';
import { anonymous, type Actor } from './actor';
import { sha256Hex } from './secrets';

export const SESSION_COOKIE = 'ferry_session';

export interface CredentialSource {
  authorization?: string | null;
  cookie?: string | null;
}

/** Resolves a request's credentials to an actor; never throws on bad credentials (anonymous instead). */
export async function resolveActor(db: Db, source: CredentialSource, now = new Date()): Promise<Actor> {
  const bearer = parseBearer(source.authorization);
  if (bearer) return (await actorFromToken(db, bearer, now)) ?? anonymous;
  const sessionSecret = parseCookie(source.cookie, SESSION_COOKIE);
  if (sessionSecret) return (await actorFromSession(db, sessionSecret, now)) ?? anonymous;
  return anonymous;
}

async function actorFromSession(db: Db, secret: string, now: Date): Promise<Actor | null> {
  const [row] = await db
    .select({ userId: sessions.userId })
    .from(sessions)
    .where(and(eq(sessions.tokenHash, sha256Hex(secret)), gt(sessions.expiresAt, now)))
    .limit(1);
  return row ? { kind: 'user', userId: row.userId, via: 'session' } : null;
}

async function actorFromToken(db: Db, secret: string, now: Date): Promise<Actor | null> {
  if (secret.startsWith('fdev_')) return actorFromDevice(db, secret);
  const hash = sha256Hex(secret);
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))))
    .limit(1);
  if (!row) return null;
  // Last-used is advisory; a failed write must not fail the request.
  void db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(eq(apiTokens.id, row.id))
    .catch(() => undefined);
  if (row.kind === 'job') {
    // A job token without a notebook has no scope to act in: it is no credential at all.
    if (!row.notebookId) return null;
    return {
      kind: 'job',
      userId: row.userId,
      tokenId: row.id,
      notebookId: row.notebookId,
      kernelId: row.kernelId,
      executionIds: row.executionIds ?? [],
      trainingId: row.trainingId,
      driftAlertId: row.driftAlertId,
    };
  }
  return { kind: 'user', userId: row.userId, via: 'api-token' };
}

async function actorFromDevice(db: Db, secret: string): Promise<Actor | null> {
  const [row] = await db
    .select({ id: devices.id, workspaceId: devices.workspaceId, group: devices.group })
    .from(devices)
    .where(and(eq(devices.credentialHash, sha256Hex(secret)), isNull(devices.revokedAt)))
    .limit(1);
  return row ? { kind: 'device', deviceId: row.id, workspaceId: row.workspaceId, group: row.group } : null;
}

function parseBearer(header: string | null | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

export function parseCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}
