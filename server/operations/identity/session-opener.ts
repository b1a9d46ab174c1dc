import { eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { sessions } from '../../../drizzle/schema';
import { hashPassword, passwordMatches } from '../../auth/passwords';
import { newSecret, sha256Hex } from '../../auth/secrets';
import {
  assertAccountNotLocked,
  clearAccountFailures,
  lockedError,
  recordAccountFailure,
  type IpFailureCounter,
  type ThrottleLimits,
} from '../../auth/sign-in-throttle';
import { unauthenticated } from '../../errors';
import { userByEmail } from './user-creator';

// Verify against a real hash when the email is unknown, so timing does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword('not-a-real-password'));

/** Brute-force limits of a sign-in from the web (absent for the session opened right after setup). */
export interface SignInGuard {
  limits: ThrottleLimits;
  ips: IpFailureCounter;
  ip: string;
}

/** Checks email and password and opens a browser session; 401 on a mismatch, 429 while throttled or locked. */
export async function sessionOpener(db: Db, input: { email: string; password: string; days: number; guard?: SignInGuard }) {
  const email = input.email.trim().toLowerCase();
  const guard = input.guard;
  if (guard) {
    guard.ips.assertAllowed(guard.ip);
    await assertAccountNotLocked(db, email);
  }
  const user = await userByEmail(db, email);
  const ok = await passwordMatches(user?.passwordHash ?? (await dummy()), input.password);
  if (!user || !ok) {
    if (guard) {
      guard.ips.record(guard.ip);
      const lockedUntil = await recordAccountFailure(db, email, guard.limits);
      if (lockedUntil) throw lockedError(lockedUntil);
    }
    throw unauthenticated('wrong email or password');
  }
  if (guard) await clearAccountFailures(db, email);
  const { secret, hash } = newSecret('fses');
  const expiresAt = new Date(Date.now() + input.days * 86_400_000);
  await db.insert(sessions).values({ tokenHash: hash, userId: user.id, expiresAt });
  return { user, secret, expiresAt };
}

export async function sessionCloser(db: Db, secret: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(secret)));
}
