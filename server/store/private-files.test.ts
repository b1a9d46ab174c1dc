import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadSigningKey } from '../fleet/signing-key';
import { writeServerLock } from '../lockfile';
import { createFilesystemArtifactStore } from './artifact-store';
import { ensurePrivateDir, writePrivateFile } from './private-files';

const dir = mkdtempSync(join(tmpdir(), 'ferry-private-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

test('private dirs and files are tightened even when they already existed with looser modes', () => {
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o755 });
  chmodSync(data, 0o755);
  ensurePrivateDir(data);
  assert.equal(mode(data), '700');
  const file = join(data, 'secret');
  writeFileSync(file, 'old', { mode: 0o644 });
  writePrivateFile(file, 'new');
  assert.equal(mode(file), '600');
});

test("the server's secrets: server.json, the signing key (also an old one), the artifact store", async () => {
  const data = join(dir, 'server');
  writeServerLock(data, { pid: process.pid, url: 'http://127.0.0.1:1', adminKey: 'k' });
  assert.equal(mode(data), '700');
  assert.equal(mode(join(data, 'server.json')), '600');
  loadSigningKey(data);
  assert.equal(mode(join(data, 'manifest-signing-key.pem')), '600');
  const older = join(dir, 'older');
  mkdirSync(older);
  writeFileSync(join(older, 'manifest-signing-key.pem'), readKey(data), { mode: 0o644 });
  loadSigningKey(older);
  assert.equal(mode(join(older, 'manifest-signing-key.pem')), '600');
  const store = createFilesystemArtifactStore(join(data, 'artifacts'));
  assert.equal(mode(join(data, 'artifacts')), '700');
  const { sha256 } = await store.put(new TextEncoder().encode('weights'));
  assert.equal(mode(join(data, 'artifacts', sha256.slice(0, 2))), '700');
  assert.equal(mode(join(data, 'artifacts', sha256.slice(0, 2), sha256)), '600');
});

function readKey(data: string): string {
  return readFileSync(join(data, 'manifest-signing-key.pem'), 'utf8');
}
