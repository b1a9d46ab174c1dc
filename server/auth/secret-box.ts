import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Secrets the server must read back (webhook signing secrets) are stored AES-256-GCM encrypted with a
// server key: FERRY_SECRET_KEY, else a key file created once under the data dir (mode 0600). Several
// instances on one database need the same FERRY_SECRET_KEY.

const PREFIX = 'enc1:';

/** The 32-byte key from FERRY_SECRET_KEY (hex or base64) or the data dir's secret.key. */
export function loadSecretKey(dataDir: string, fromEnv?: string): Buffer {
  if (fromEnv) return /^[0-9a-fA-F]{64}$/.test(fromEnv) ? Buffer.from(fromEnv, 'hex') : Buffer.from(fromEnv, 'base64');
  const path = join(dataDir, 'secret.key');
  try {
    return readKeyFile(path);
  } catch {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch {
      // Another process created it first: use theirs.
    }
    return readKeyFile(path);
  }
}

function readKeyFile(path: string): Buffer {
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte hex key`);
  return key;
}

/** `enc1:<iv>:<tag>:<ciphertext>` (base64url), a fresh IV each time. */
export function encryptSecret(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join(':')}`;
}

/** The plain secret; throws when the value was encrypted with another key or altered. */
export function decryptSecret(key: Buffer, stored: string): string {
  // Rows written before encryption existed hold the secret itself.
  if (!stored.startsWith(PREFIX)) return stored;
  const [iv, tag, body] = stored
    .slice(PREFIX.length)
    .split(':')
    .map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) throw new Error('malformed encrypted secret');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
