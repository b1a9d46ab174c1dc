import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { eventually } from './helpers/collab-client';
import { waitForCellOutputs, writeFirstCell } from './helpers/lifecycle';
import { natsTestUrl } from './helpers/services';
import { apiClient, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';

const root = fileURLToPath(new URL('..', import.meta.url));

function ferry(args: string[], env: Record<string, string>) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env, DATABASE_URL: '' },
    encoding: 'utf8',
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('admin CLI on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
  let server: ServerProcess | undefined;
  after(async () => {
    await server?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('works without a server, then through the running server', async () => {
    const env = { FERRY_DATA_DIR: dataDir };
    const created = ferry(['user', 'create', '--email', 'Root@Example.test', '--password', 'root-password'], env);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).role, 'owner');
    const again = ferry(['user', 'create', '--email', 'root@example.test', '--password', 'root-password'], env);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /already exists/);
    const bad = ferry(['user', 'create', '--email', 'not-an-email', '--password', 'x'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--email: must be an email address/);
    assert.match(bad.stderr, /--password: password must be at least 10 characters/);
    assert.equal(ferry(['nonsense'], env).code, 2);

    // With the server holding the embedded database, the CLI goes through it.
    server = await startServerProcess({
      db: 'pglite',
      reuse: { dataDir, env: { FERRY_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', FERRY_EMBEDDED_WORKERS: '0' } },
    });
    const viewer = ferry(['user', 'create', '--email', 'viewer@example.test', '--password', 'viewer-password', '--role', 'viewer'], env);
    assert.equal(viewer.code, 0, viewer.stderr);
    const token = ferry(['token', 'create', '--email', 'viewer@example.test'], env);
    assert.equal(token.code, 0, token.stderr);
    const api = apiClient(server.url, { token: token.stdout.trim() });
    assert.equal((await api.get('/api/notebooks')).status, 200);
    assert.equal((await api.post('/api/notebooks', { name: 'nope' })).status, 403, 'viewers cannot create notebooks');
  });
});

describe('with no worker at all', () => {
  let server: ServerProcess | undefined;
  after(async () => server?.dispose());

  // On the in-process bus, so no worker of another installation sharing a NATS server can answer.
  test('running a cell says how to start a worker (503)', async () => {
    server = await startServerProcess({ db: 'pglite', env: { FERRY_EMBEDDED_WORKERS: '0' } });
    const owner = apiClient(server.url);
    await owner.post('/api/setup', { email: 'n@example.test', password: 'owner-password' });
    const token = (await owner.post('/api/tokens', { name: 't' })).json.token as string;
    const notebookId = (await owner.post('/api/notebooks', { name: 'idle' })).json.id as string;
    const cellId = await writeFirstCell(server.url, notebookId, token, '1 + 1');
    const noWorker = await owner.post(`/api/notebooks/${notebookId}/cells/${cellId}/run`);
    assert.equal(noWorker.status, 503);
    assert.match(noWorker.json.error.message, /npm run worker/);
  });
});

describe('a standalone worker joins through NATS', () => {
  let server: ServerProcess | undefined;
  let worker: ReturnType<typeof spawn> | undefined;
  after(async () => {
    worker?.kill('SIGTERM');
    await server?.dispose();
  });

  test('npm run worker takes the cells of a server without embedded workers', async (c) => {
    const skip = await serverSkipReason({ db: 'pglite', nats: true });
    if (skip) return c.skip(skip);
    server = await startServerProcess({ db: 'pglite', nats: true, env: { FERRY_EMBEDDED_WORKERS: '0' } });
    const owner = apiClient(server.url);
    await owner.post('/api/setup', { email: 'w@example.test', password: 'owner-password' });
    const token = (await owner.post('/api/tokens', { name: 't' })).json.token as string;
    const notebookId = (await owner.post('/api/notebooks', { name: 'remote' })).json.id as string;
    const cellId = await writeFirstCell(server.url, notebookId, token, 'console.log("on a remote worker"); 6 * 7');

    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      cwd: root,
      env: { ...process.env, NATS_URL: 'http://wrong' },
      encoding: 'utf8',
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /NATS_URL: must be a nats:\/\/ URL/);

    let logs = '';
    worker = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      cwd: root,
      env: { ...process.env, NATS_URL: natsTestUrl(), FERRY_WORKER_ID: 'test-worker-1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    await eventually(async () => (await owner.get('/api/health')).json.workers >= 1, 30_000, `the worker to join:\n${logs}`);
    assert.equal((await owner.post(`/api/notebooks/${notebookId}/cells/${cellId}/run`)).status, 202);
    const cell = await waitForCellOutputs(server.url, notebookId, token);
    assert.deepEqual(
      cell.outputs.map((o) =>
        o.output_type === 'stream' ? o.text : o.output_type === 'execute_result' ? o.data['text/plain'] : o.output_type,
      ),
      ['on a remote worker\n', '42'],
    );
  });
});
