import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import S3rver from 's3rver';
import { buildOnnxMlp, MLP_SAMPLE } from './helpers/onnx-models';
import { ownerSession } from './helpers/scenario';
import { startServerProcess, type ServerProcess } from './helpers/server';

// The server with its artifact store on an S3-compatible service: model files go to the bucket,
// nothing to the data directory, and a bucket that does not exist stops start-up with its name.

describe('artifacts on an S3-compatible store', () => {
  let s3: S3rver;
  let directory: string;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 's3rver-'));
    s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: 'models' }],
      vhostBuckets: false,
    });
    const { port } = await s3.run();
    env = {
      FERRY_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      FERRY_S3_BUCKET: 'models',
      FERRY_S3_ACCESS_KEY_ID: 'S3RVER',
      FERRY_S3_SECRET_ACCESS_KEY: 'S3RVER',
    };
  });
  after(async () => {
    await server?.dispose();
    await s3.close();
  });

  test('an uploaded ONNX model lives in the bucket and downloads byte for byte', async () => {
    server = await startServerProcess({ db: 'pglite', nats: false, env });
    assert.match(server.logs(), /artifact store: S3 bucket models/);
    const owner = await ownerSession(server);
    const bytes = buildOnnxMlp(3);
    const up = await owner.api.post('/api/models/upload', {
      workspaceId: owner.workspaceId,
      modelName: 's3-model',
      onnxBase64: Buffer.from(bytes).toString('base64'),
      sampleInput: MLP_SAMPLE,
    });
    assert.equal(up.status, 201, JSON.stringify(up.json));
    const sha = (await owner.api.get(`/api/model-versions/${up.json.version.id}`)).json.onnxSha256 as string;
    assert.ok(
      existsSync(join(directory, 'models', 'ferry', 'artifacts', sha.slice(0, 2), `${sha}._S3rver_object`)),
      'the object is in the bucket',
    );
    assert.ok(
      !existsSync(join(server.dataDir, 'artifacts')) || readdirSync(join(server.dataDir, 'artifacts')).length === 0,
      'nothing on local disk',
    );
    const download = await fetch(`${server.url}/api/model-versions/${up.json.version.id}/onnx`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    assert.equal(download.status, 200);
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes)), 'the download is the uploaded file');
  });

  test('a missing bucket or a half-configured store stops start-up with a clear message', async () => {
    await assert.rejects(
      startServerProcess({ db: 'pglite', nats: false, env: { ...env, FERRY_S3_BUCKET: 'nope-bucket' } }),
      /S3 bucket "nope-bucket".*404/s,
    );
    await assert.rejects(
      startServerProcess({ db: 'pglite', nats: false, env: { FERRY_S3_BUCKET: 'models' } }),
      /FERRY_S3_ENDPOINT: required when FERRY_S3_BUCKET is set[\s\S]*FERRY_S3_ACCESS_KEY_ID/,
    );
  });
});
