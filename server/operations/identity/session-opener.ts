import { eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { sessions } from '../../../drizzle/schema';
import { hashPassword, passwordMatches } from '../../auth/passwords';
import { newSecret, sha256Hex } from '../../auth/secrets';
import { unauthenticated } from '../../errors';
import { userByEmail } from './user-creator';

// Verify against a real hash when the email is unknown, so timing does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword('not-a-real-password'));

export async function sessionOpener(db: Db, input: { email: string; password: string; days: number }) {
  const user = await userByEmail(db, input.email);
  const ok = await passwordMatches(user?.passwordHash ?? (await dummy()), input.password);
  if (!user || !ok) throw unauthenticated('wrong email or password');
  const { secret, hash } = newSecret('fses');
  const expiresAt = new Date(Date.now() + input.days * 86_400_000);
  await db.insert(sessions).values({ tokenHash: hash, userId: user.id, expiresAt });
  return { user, secret, expiresAt };
}

export async function sessionCloser(db: Db, secret: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(secret)));
}
