import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../store/private-files';

// The server's ed25519 key for model manifests: created on first use under the data dir (mode 0600).
// Devices pin the public key at enrollment.

export interface SigningKey {
  publicKeyPem: string;
  sign(data: string): string;
}

const loaded = new Map<string, SigningKey>();

/** The key of a data dir, read once per process (desired-state polls sign with it). */
export function loadSigningKey(dataDir: string): SigningKey {
  let key = loaded.get(dataDir);
  if (!key) {
    key = readOrCreateKey(dataDir);
    loaded.set(dataDir, key);
  }
  return key;
}

function readOrCreateKey(dataDir: string): SigningKey {
  const path = join(dataDir, 'manifest-signing-key.pem');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(path, 'utf8'));
    chmodSync(path, 0o600);
  } catch {
    ensurePrivateDir(dataDir);
    const pair = generateKeyPairSync('ed25519');
    try {
      writePrivateFile(path, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'wx');
      privateKey = pair.privateKey;
    } catch {
      // Another process created it first: use theirs.
      privateKey = createPrivateKey(readFileSync(path, 'utf8'));
    }
  }
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { publicKeyPem, sign: (data) => sign(null, Buffer.from(data), privateKey).toString('base64') };
}
