import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { apiTokens } from '../../../drizzle/schema';
import { newSecret } from '../../auth/secrets';
import { notFound } from '../../errors';
import { userByEmail } from './user-creator';

export async function tokenCreator(db: Db, input: { userId: string; name: string; expiresInDays?: number }) {
  const { secret, hash, display } = newSecret('fry');
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const [row] = await db
    .insert(apiTokens)
    .values({ kind: 'api', userId: input.userId, name: input.name, prefix: display, tokenHash: hash, expiresAt })
    .returning();
  return { id: row!.id, name: row!.name, token: secret, prefix: display, expiresAt: expiresAt?.toISOString() ?? null };
}

export async function tokenRevoker(db: Db, input: { userId: string; tokenId: string }) {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, input.tokenId), eq(apiTokens.userId, input.userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  if (rows.length === 0) throw notFound('token');
}

export async function tokenLister(db: Db, userId: string) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), eq(apiTokens.kind, 'api')));
}

export async function tokenForEmail(db: Db, input: { email: string; name: string }) {
  const user = await userByEmail(db, input.email);
  if (!user) throw notFound(`user ${input.email}`);
  return tokenCreator(db, { userId: user.id, name: input.name });
}
