import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../drizzle/client';
import { signInThrottle } from '../../drizzle/schema';
import { rateLimited } from '../errors';

// Brute-force limits on sign-in. Per account (by email, known or not) in the database, so every server
// instance counts the same failures and honours the same lock; per client IP in memory, which only
// needs to slow one source down.

export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
  ipMaxFailures: number;
}

/** Refuses (429) while the account is locked, even for the right password. */
export async function assertAccountNotLocked(db: Db, email: string, now = new Date()): Promise<void> {
  const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.email, email)).limit(1);
  if (row?.lockedUntil && row.lockedUntil > now) throw lockedError(row.lockedUntil, now);
}

/** Counts one failed sign-in; the failure that reaches the limit locks the account for `lockMs`. */
export async function recordAccountFailure(db: Db, email: string, limits: ThrottleLimits, now = new Date()): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - limits.windowMs);
  const lockUntil = new Date(now.getTime() + limits.lockMs);
  const expired = sql`(sign_in_throttle.window_started_at < ${windowStart.toISOString()}::timestamptz)`;
  const failures = sql`(case when ${expired} then 1 else sign_in_throttle.failures + 1 end)`;
  const [row] = await db
    .insert(signInThrottle)
    .values({ email, failures: 1, windowStartedAt: now, lockedUntil: limits.maxFailures <= 1 ? lockUntil : null })
    .onConflictDoUpdate({
      target: signInThrottle.email,
      set: {
        failures,
        windowStartedAt: sql`(case when ${expired} then ${now.toISOString()}::timestamptz else sign_in_throttle.window_started_at end)`,
        lockedUntil: sql`(case when ${failures} >= ${limits.maxFailures} then ${lockUntil.toISOString()}::timestamptz else sign_in_throttle.locked_until end)`,
      },
    })
    .returning({ lockedUntil: signInThrottle.lockedUntil });
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/** A successful sign-in starts the account's count afresh. */
export async function clearAccountFailures(db: Db, email: string): Promise<void> {
  await db.delete(signInThrottle).where(eq(signInThrottle.email, email));
}

export function lockedError(until: Date, now = new Date()) {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return rateLimited(
    `too many failed sign-ins: this account is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}`,
    (until.getTime() - now.getTime()) / 1000,
  );
}

/** Failed sign-ins per client address over a sliding window, in this process's memory. */
export class IpFailureCounter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: Pick<ThrottleLimits, 'ipMaxFailures' | 'windowMs'>) {}

  /** Throws 429 with the time until the oldest counted failure leaves the window. */
  assertAllowed(ip: string, now = Date.now()): void {
    const recent = this.recent(ip, now);
    if (recent.length < this.limits.ipMaxFailures) return;
    throw rateLimited('too many failed sign-ins from this address; try again later', (recent[0]! + this.limits.windowMs - now) / 1000);
  }

  record(ip: string, now = Date.now()): void {
    const recent = this.recent(ip, now);
    recent.push(now);
    this.failures.set(ip, recent);
    // Bounded memory under a spray from many addresses: forget addresses whose failures all expired.
    if (this.failures.size > 10_000)
      for (const key of [...this.failures.keys()]) if (!this.recent(key, now).length) this.failures.delete(key);
  }

  private recent(ip: string, now: number): number[] {
    const kept = (this.failures.get(ip) ?? []).filter((t) => t > now - this.limits.windowMs);
    if (kept.length) this.failures.set(ip, kept);
    else this.failures.delete(ip);
    return kept;
  }
}
