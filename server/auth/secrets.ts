import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A secret shown once; only its sha256 is stored, so a database leak reveals no usable token. */
export function newSecret(prefix: string): { secret: string; hash: string; display: string } {
  const secret = `${prefix}_${randomBytes(24).toString('base64url')}`;
  return { secret, hash: sha256Hex(secret), display: secret.slice(0, prefix.length + 7) };
}

export function sha256Hex(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
