import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFilesystemArtifactStore, sha256Of } from './artifact-store';

test('content-addressed put/get; damaged blobs are healed by the next put; names cannot escape', async () => {
  const root = mkdtempSync(join(tmpdir(), 'artifacts-'));
  const store = createFilesystemArtifactStore(root);
  const bytes = new TextEncoder().encode('model bytes');
  const { sha256, size } = await store.put(bytes);
  assert.equal(sha256, sha256Of(bytes));
  assert.equal(size, bytes.byteLength);
  assert.deepEqual(await store.get(sha256), bytes);
  writeFileSync(join(root, sha256.slice(0, 2), sha256), 'garbage');
  await store.put(bytes);
  assert.deepEqual(await store.get(sha256), bytes);
  assert.equal(await store.get('../../etc/passwd'), null);
  assert.equal(await store.get('a'.repeat(63) + 'G'), null);
  assert.deepEqual(readdirSync(join(root, sha256.slice(0, 2))), [sha256], 'no partial files left behind');
});
