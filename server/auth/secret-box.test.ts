import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decryptSecret, encryptSecret, loadSecretKey } from './secret-box';

test('secrets round-trip through AES-256-GCM, never appear in the stored form, and fail with another key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-key-'));
  try {
    const key = loadSecretKey(dir);
    assert.equal(key.length, 32);
    assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
    assert.deepEqual(loadSecretKey(dir), key, 'the key file is reused');
    const stored = encryptSecret(key, 'webhook-secret-value');
    assert.ok(!stored.includes('webhook-secret-value'));
    assert.notEqual(encryptSecret(key, 'webhook-secret-value'), stored, 'a fresh IV each time');
    assert.equal(decryptSecret(key, stored), 'webhook-secret-value');
    assert.throws(() => decryptSecret(loadSecretKey(dir, 'ab'.repeat(32)), stored));
    const tampered = stored.slice(0, -2) + (stored.endsWith('A') ? 'BB' : 'AA');
    assert.throws(() => decryptSecret(key, tampered));
    assert.equal(decryptSecret(key, 'legacy-plain'), 'legacy-plain', 'rows from before encryption still sign');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
