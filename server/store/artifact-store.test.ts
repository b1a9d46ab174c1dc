import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import S3rver from 's3rver';
import { createFilesystemArtifactStore, sha256Of, type ArtifactStore } from './artifact-store';
import { createS3ArtifactStore, type S3StoreConfig } from './s3-artifact-store';

// One contract for both stores: the filesystem under FERRY_DATA_DIR and any S3-compatible service,
// here s3rver (an S3 implementation in Node). s3rver checks the access key but not SigV4 signatures
// themselves; sigv4.test.ts reproduces AWS's worked example byte for byte for that.

async function startS3(): Promise<{ config: S3StoreConfig; directory: string; stop(): Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: 'ferry-artifacts' }],
    vhostBuckets: false,
  });
  const { port } = await server.run();
  return {
    directory,
    config: {
      endpoint: `http://127.0.0.1:${port}`,
      bucket: 'ferry-artifacts',
      prefix: 'artifacts/',
      pathStyle: true,
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    },
    stop: () => server.close(),
  };
}

function contract(name: string, open: () => Promise<ArtifactStore>) {
  describe(`artifact store contract: ${name}`, () => {
    test('content-addressed put/get/size; putting twice is a no-op; unknown and hostile names are null', async () => {
      const store = await open();
      const bytes = new TextEncoder().encode(`model bytes ${name}`);
      const { sha256, size } = await store.put(bytes);
      assert.equal(sha256, sha256Of(bytes));
      assert.equal(size, bytes.byteLength);
      assert.deepEqual(await store.get(sha256), bytes);
      assert.equal(await store.size(sha256), bytes.byteLength);
      assert.deepEqual(await store.put(bytes), { sha256, size });
      assert.equal(await store.get('0'.repeat(64)), null);
      assert.equal(await store.size('0'.repeat(64)), null);
      assert.equal(await store.get('../../etc/passwd'), null);
      assert.equal(await store.get('a'.repeat(63) + 'G'), null);
    });

    test('binary blobs of a few MB come back byte for byte', async () => {
      const store = await open();
      const big = new Uint8Array(3 * 1024 * 1024 + 7).map((_, i) => (i * 2654435761) >>> 24);
      const { sha256 } = await store.put(big);
      const back = await store.get(sha256);
      assert.ok(back && back.byteLength === big.byteLength && sha256Of(back) === sha256);
    });
  });
}

const fsRoot = mkdtempSync(join(tmpdir(), 'artifacts-'));
contract('filesystem', async () => createFilesystemArtifactStore(fsRoot));

const s3 = startS3();
after(async () => (await s3).stop());
contract('S3-compatible (s3rver)', async () => createS3ArtifactStore((await s3).config));

test('filesystem: a damaged blob is healed by the next put and no partial file is left behind', async () => {
  const root = mkdtempSync(join(tmpdir(), 'artifacts-'));
  const store = createFilesystemArtifactStore(root);
  const bytes = new TextEncoder().encode('model bytes');
  const { sha256 } = await store.put(bytes);
  writeFileSync(join(root, sha256.slice(0, 2), sha256), 'garbage');
  await store.put(bytes);
  assert.deepEqual(await store.get(sha256), bytes);
  assert.deepEqual(readdirSync(join(root, sha256.slice(0, 2))), [sha256]);
});

test('S3: an unknown key is refused with the error code of the service; a damaged object is reported, not served', async () => {
  const { config, directory } = await s3;
  const wrong = createS3ArtifactStore({ ...config, accessKeyId: 'NOT-A-KEY' });
  await assert.rejects(wrong.get(sha256Of(new TextEncoder().encode('x'))), /403 InvalidAccessKeyId/);
  await assert.rejects(createS3ArtifactStore({ ...config, bucket: 'no-such-bucket' }).checkBucket(), /no-such-bucket.*404/);
  await createS3ArtifactStore(config).checkBucket();

  const store = createS3ArtifactStore(config);
  const bytes = new TextEncoder().encode('will be damaged');
  const { sha256 } = await store.put(bytes);
  const objectFile = join(directory, 'ferry-artifacts', 'artifacts', sha256.slice(0, 2), `${sha256}._S3rver_object`);
  writeFileSync(objectFile, 'tampered bytes!');
  await assert.rejects(store.get(sha256), /does not hash to its name/);
});
