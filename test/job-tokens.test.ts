import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { WebSocket } from 'ws';
import { connectCollab, eventually } from './helpers/collab-client';
import { notebookWith, waitForPrinted } from './helpers/notebook-cells';
import { buildOnnxMlp, uploadApproved } from './helpers/onnx-models';
import { addUser, ownerSession } from './helpers/scenario';
import { apiClient, BACKENDS, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';
import { enrollSimulated } from './helpers/simulated-agent';

// Job tokens are kernel credentials. A token captured inside a shared kernel (the attack of issue 12:
// an editor wraps globalThis.fetch and waits for someone else's `ferry.*` call) opens only the kernel
// routes of the execution it was minted for, acts with its user's current role, and dies when that
// execution, the kernel or the training ends. Device reports stay in their workspace. Both backends.

type Owner = Awaited<ReturnType<typeof ownerSession>>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The training token's lifetime past each heartbeat in these tests: short, so a renewal is visible. */
const TRAINING_TOKEN_TTL_MS = 4000;

/** Installed by one user's cell; prints the token of whoever's cell calls a `ferry.*` helper next. */
const TRAP = `const realFetch = globalThis.fetch;
globalThis.fetch = ((input: any, init?: any) => {
  const auth = new Headers(init?.headers).get('authorization');
  if (auth) console.log('CAPTURED ' + auth.slice('Bearer '.length));
  return realFetch(input, init);
}) as typeof fetch;
'trap set'`;

/** A cell that reads its own token the same way and prints it with its run. */
const SELF_CAPTURE = `const seen: string[] = [];
const plainFetch = globalThis.fetch;
globalThis.fetch = ((input: any, init?: any) => {
  const auth = new Headers(init?.headers).get('authorization');
  if (auth) seen.push(auth.slice('Bearer '.length));
  return plainFetch(input, init);
}) as typeof fetch;
await ferry.logParams({ probe: 1 });
globalThis.fetch = plainFetch;
console.log('CAPTURED ' + seen[0] + ' RUN ' + (await ferry.runId()));`;

const LOG_AND_WAIT = `await ferry.logParams({ lr: 0.1 });
console.log('RUN ' + (await ferry.runId()));
await new Promise((r) => setTimeout(r, 120_000));`;

const WAIT = `await new Promise((r) => setTimeout(r, 120_000));`;

/** A notebook with these code cells, written through a real collaboration client. */
async function executionStatus(owner: Owner, notebookId: string, executionId: string): Promise<string | undefined> {
  const queue = (await owner.api.get(`/api/notebooks/${notebookId}/executions`)).json.executions as Json[];
  return queue.find((e) => e.executionId === executionId)?.status as string | undefined;
}

/** The HTTP status a websocket upgrade gets (101 when it opens). */
function upgradeStatus(url: string, token: string): Promise<number> {
  return new Promise((resolve) => {
    // Tokens travel in the Authorization header only (a token in the URL is refused before it is read).
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => resolve(0));
  });
}

const logMetric = (api: ReturnType<typeof apiClient>, runId: string, key: string) =>
  api.post(`/api/kernel/runs/${runId}/log`, { metrics: [{ key, value: 1, step: 0, timestamp: Date.now() }] });

const driftReport = (modelVersionId: string) => ({
  idempotencyKey: randomUUID(),
  modelVersionId,
  windowStart: new Date(Date.now() - 60_000).toISOString(),
  windowEnd: new Date().toISOString(),
  sampleCount: 100,
  features: [
    {
      name: 'f0',
      type: 'numeric',
      psi: 0.4,
      ks: { statistic: 0.5, pvalue: 1e-7 },
      wasserstein: 1,
      jensenshannon: null,
      chi2: null,
      drift: true,
    },
  ],
});

const statsReport = (modelVersionId: string) => ({
  idempotencyKey: randomUUID(),
  modelVersionId,
  windowStart: new Date(Date.now() - 60_000).toISOString(),
  windowEnd: new Date().toISOString(),
  count: 10,
  latencyP50Ms: 1,
  latencyP99Ms: 2,
  outputMean: 0.5,
  outputSample: [0.5],
  feedbackCount: 0,
  feedbackScore: null,
  feedbackKind: null,
});

for (const config of BACKENDS) {
  describe(`job tokens and device reports on ${config.name}`, () => {
    let server: ServerProcess;
    let owner: Owner;
    let bob: Awaited<ReturnType<typeof addUser>>;
    let skip: string | null = null;
    before(async () => {
      skip = await serverSkipReason(config);
      if (skip) return;
      server = await startServerProcess({
        db: config.db,
        nats: config.nats,
        env: { FERRY_TRAINING_TOKEN_TTL_MS: String(TRAINING_TOKEN_TTL_MS) },
      });
      owner = await ownerSession(server);
      bob = await addUser(server, { email: 'bob@example.test', role: 'editor' });
    });
    after(async () => server?.dispose());

    test('a token captured in a shared kernel opens only its execution’s kernel routes, until that execution ends', async (c) => {
      if (skip) return c.skip(skip);
      const { notebookId, cellIds } = await notebookWith(server, owner, [TRAP, LOG_AND_WAIT]);
      const watch = connectCollab(server.url, notebookId, owner.token);
      await watch.synced();
      // Bob, an editor, sets the trap; the owner then runs a cell that logs.
      const trap = await bob.api.post(`/api/notebooks/${notebookId}/cells/${cellIds[0]}/run`);
      assert.equal(trap.status, 202, JSON.stringify(trap.json));
      await eventually(async () => (await executionStatus(owner, notebookId, trap.json.executionId)) === 'ok', 120_000, 'the trap');
      const ownersRun = await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellIds[1]}/run`);
      assert.equal(ownersRun.status, 202);
      const stolen = (await waitForPrinted(watch, cellIds[1]!, /CAPTURED (\S+)/))[1]!;
      const runId = (await waitForPrinted(watch, cellIds[1]!, /RUN (\S+)/))[1]!;
      assert.match(stolen, /^fjob_/);
      const thief = apiClient(server.url, { token: stolen });

      const tokensBefore = (await owner.api.get('/api/tokens')).json.tokens.length as number;
      const membersBefore = (await owner.api.get(`/api/workspaces/${owner.workspaceId}/members`)).json.members.length as number;
      const notebooksBefore = (await owner.api.get(`/api/notebooks?workspaceId=${owner.workspaceId}`)).json.notebooks.length as number;
      for (const [what, res] of [
        ['GET /api/tokens', await thief.get('/api/tokens')],
        ['POST /api/tokens', await thief.post('/api/tokens', { name: 'forever' })],
        ['GET /api/auth/me', await thief.get('/api/auth/me')],
        ['POST members', await thief.post(`/api/workspaces/${owner.workspaceId}/members`, { email: 'bob@example.test', role: 'owner' })],
        ['POST /api/notebooks', await thief.post('/api/notebooks', { name: 'stolen', workspaceId: owner.workspaceId })],
        ['MLflow', await thief.post('/api/2.0/mlflow/experiments/search', { max_results: 10 })],
        ['GET /api/runs', await thief.get(`/api/runs?workspaceId=${owner.workspaceId}`)],
      ] as const) {
        assert.equal(res.status, 403, `${what}: ${JSON.stringify(res.json)}`);
      }
      assert.match((await thief.get('/api/tokens')).json.error.message, /kernel credential/);
      assert.equal(await upgradeStatus(`${server.url.replace(/^http/, 'ws')}/yjs/${notebookId}`, stolen), 403);
      assert.equal((await owner.api.get('/api/tokens')).json.tokens.length, tokensBefore, 'no token was minted');
      assert.equal((await owner.api.get(`/api/workspaces/${owner.workspaceId}/members`)).json.members.length, membersBefore);
      assert.equal((await owner.api.get(`/api/notebooks?workspaceId=${owner.workspaceId}`)).json.notebooks.length, notebooksBefore);

      // What it does allow while the owner's cell runs: logging into that execution's run, nothing else.
      const logged = await logMetric(thief, runId, 'stolen');
      assert.equal(logged.status, 200, JSON.stringify(logged.json));
      assert.equal((await owner.api.get(`/api/runs/${runId}/metrics?key=stolen`)).json.points.length, 1);
      const run = (await owner.api.get(`/api/runs/${runId}`)).json;
      const otherRun = await apiClient(server.url, { token: owner.token }).post('/api/2.0/mlflow/runs/create', {
        experiment_id: run.experimentId,
      });
      assert.equal(otherRun.status, 200, JSON.stringify(otherRun.json));
      assert.equal((await logMetric(thief, otherRun.json.run.info.run_id, 'stolen')).status, 403, 'a run it did not create');
      const forged = await thief.post('/api/kernel/runs', {
        v: 1,
        executionId: randomUUID(),
        notebookId,
        notebookVersionId: run.notebookVersionId,
        cellId: cellIds[1],
        sourceHash: 'a'.repeat(64),
      });
      assert.equal(forged.status, 403, `a run for another execution: ${JSON.stringify(forged.json)}`);

      // The owner's execution ends (interrupt): the token is dead.
      assert.equal((await owner.api.post(`/api/notebooks/${notebookId}/kernel/interrupt`)).status, 200);
      await eventually(
        async () => (await executionStatus(owner, notebookId, ownersRun.json.executionId)) === 'interrupted',
        60_000,
        'the interrupt',
      );
      await eventually(async () => (await logMetric(thief, runId, 'late')).status === 401, 10_000, 'the token to be revoked');
      assert.equal((await owner.api.get(`/api/runs/${runId}/metrics?key=late`)).json.points.length, 0, 'nothing logged after the end');
      watch.destroy();
    });

    test('run all shares one token until its last execution ends; its user’s current role decides; shutdown revokes it', async (c) => {
      if (skip) return c.skip(skip);
      const { notebookId, cellIds } = await notebookWith(server, owner, [SELF_CAPTURE, WAIT]);
      const watch = connectCollab(server.url, notebookId, owner.token);
      await watch.synced();
      const all = await bob.api.post(`/api/notebooks/${notebookId}/run`, {});
      assert.equal(all.status, 202, JSON.stringify(all.json));
      const [first, second] = all.json.queued as Json[];
      const [, token, runId] = await waitForPrinted(watch, cellIds[0]!, /CAPTURED (\S+) RUN (\S+)/);
      await eventually(
        async () => (await executionStatus(owner, notebookId, second!.executionId)) === 'running',
        60_000,
        'the second cell',
      );
      assert.equal(await executionStatus(owner, notebookId, first!.executionId), 'ok');
      const kernel = apiClient(server.url, { token: token! });
      assert.equal((await logMetric(kernel, runId!, 'after-first')).status, 200, 'the first cell ended, the second still runs');

      // Bob started it: demoted to viewer, his kernel can no longer log; promoted back, it can.
      const demote = await owner.api.patch(`/api/workspaces/${owner.workspaceId}/members/${bob.userId}`, { role: 'viewer' });
      assert.equal(demote.status, 200, JSON.stringify(demote.json));
      const refused = await logMetric(kernel, runId!, 'as-viewer');
      assert.equal(refused.status, 403, JSON.stringify(refused.json));
      await owner.api.patch(`/api/workspaces/${owner.workspaceId}/members/${bob.userId}`, { role: 'editor' });
      assert.equal((await logMetric(kernel, runId!, 'as-editor')).status, 200);

      assert.equal((await owner.api.post(`/api/notebooks/${notebookId}/kernel/shutdown`)).status, 200);
      assert.equal((await logMetric(kernel, runId!, 'after-shutdown')).status, 401, 'revoked with the kernel');
      watch.destroy();
    });

    test('a single cell’s token ends with its execution', async (c) => {
      if (skip) return c.skip(skip);
      const { notebookId, cellIds } = await notebookWith(server, owner, [SELF_CAPTURE]);
      const watch = connectCollab(server.url, notebookId, owner.token);
      await watch.synced();
      const ran = await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellIds[0]}/run`);
      assert.equal(ran.status, 202);
      const [, token, runId] = await waitForPrinted(watch, cellIds[0]!, /CAPTURED (\S+) RUN (\S+)/);
      await eventually(async () => (await executionStatus(owner, notebookId, ran.json.executionId)) === 'ok', 60_000, 'the cell');
      const kernel = apiClient(server.url, { token: token! });
      await eventually(async () => (await logMetric(kernel, runId!, 'late')).status === 401, 10_000, 'the token to be revoked');
      assert.equal((await kernel.get('/api/auth/me')).status, 401);
      watch.destroy();
    });

    test('a training’s token lives past its TTL while heartbeats renew it, and not after the training', async (c) => {
      if (skip) return c.skip(skip);
      const { notebookId, cellIds } = await notebookWith(server, owner, [
        `${SELF_CAPTURE}\nfor (let i = 0; i < 1200; i++) await new Promise((r) => setTimeout(r, 100));`,
      ]);
      const queued = await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellIds[0]}/train`, {});
      assert.equal(queued.status, 202, JSON.stringify(queued.json));
      const id = queued.json.id as string;
      let match: RegExpMatchArray | null = null;
      await eventually(
        async () =>
          (match = String((await owner.api.get(`/api/trainings/${id}`)).json.log ?? '').match(/CAPTURED (\S+) RUN (\S+)/)) !== null,
        120_000,
        'the training to print its token',
      );
      const [, token, runId] = match!;
      const kernel = apiClient(server.url, { token: token! });
      assert.equal((await kernel.get(`/api/kernel/trainings/${id}`)).status, 200);
      assert.equal((await kernel.get('/api/tokens')).status, 403);
      await new Promise((r) => setTimeout(r, TRAINING_TOKEN_TTL_MS * 2.5));
      const later = await logMetric(kernel, runId!, 'still-running');
      assert.equal(later.status, 200, `renewed by the worker's heartbeat: ${JSON.stringify(later.json)}`);

      assert.equal((await owner.api.post(`/api/trainings/${id}/cancel`)).status, 200);
      await eventually(async () => (await owner.api.get(`/api/trainings/${id}`)).json.status === 'cancelled', 60_000, 'the cancel');
      await eventually(async () => (await kernel.get(`/api/kernel/trainings/${id}`)).status === 401, 10_000, 'the token to be revoked');
    });

    test('device reports on another workspace’s version, or one the device never ran, are refused and raise no alert', async (c) => {
      if (skip) return c.skip(skip);
      const other = await owner.api.post('/api/workspaces', { name: `Other team ${randomUUID().slice(0, 6)}` });
      assert.equal(other.status, 201, JSON.stringify(other.json));
      const foreign = await uploadApproved(owner.api, other.json.id, 'foreign-model', buildOnnxMlp(31));
      const home = await uploadApproved(owner.api, owner.workspaceId, 'home-model', buildOnnxMlp(32));
      const idle = await uploadApproved(owner.api, owner.workspaceId, 'home-model', buildOnnxMlp(33));
      const device = await enrollSimulated(owner.api, server.url, { workspaceId: owner.workspaceId, name: 'reporter', group: 'reporters' });
      const dep = await owner.api.post('/api/deployments', {
        workspaceId: owner.workspaceId,
        group: 'reporters',
        versionId: home.versionId,
      });
      assert.equal(dep.status, 201, JSON.stringify(dep.json));
      assert.equal(await device.poll(), 200);
      assert.equal(device.current, home.versionId);

      for (const versionId of [foreign.versionId, idle.versionId]) {
        assert.equal((await device.post('/api/device/drift-reports', driftReport(versionId))).status, 403);
        assert.equal((await device.post('/api/device/prediction-stats', statsReport(versionId))).status, 403);
      }
      const state = await device.post('/api/device/state', {
        currentVersionId: foreign.versionId,
        previousVersionId: null,
        health: 'ok',
        backend: 'x',
      });
      assert.equal(state.status, 403);
      assert.equal((await device.post('/api/device/drift-reports', driftReport(home.versionId))).status, 200, 'its own version is fine');
      assert.equal((await device.post('/api/device/prediction-stats', statsReport(home.versionId))).status, 200);

      const alerts = async (workspaceId: string) =>
        (await owner.api.get(`/api/fleet/alerts?workspaceId=${workspaceId}&status=all`)).json.alerts as Json[];
      assert.deepEqual(
        (await alerts(owner.workspaceId)).map((a) => a.modelVersionId),
        [home.versionId],
      );
      assert.equal((await alerts(other.json.id)).length, 0);
      const devices = (await owner.api.get(`/api/devices?workspaceId=${owner.workspaceId}`)).json.devices as Json[];
      assert.equal(devices.find((d) => d.id === device.id)?.model?.versionId, home.versionId, 'the refused state report stored nothing');

      if (config.db === 'postgres') {
        // An alert naming another workspace's version can no longer be made through the API: forge one.
        const db = new pg.Client({ connectionString: server.env.DATABASE_URL });
        await db.connect();
        const forged = await db.query<{ id: string }>(
          `insert into drift_alerts (workspace_id, device_id, model_version_id, feature, reason, first_seen_at, last_seen_at)
           values ($1, $2, $3, 'f0', 'forged', now(), now()) returning id`,
          [owner.workspaceId, device.id, foreign.versionId],
        );
        await db.end();
        const refused = await owner.api.post(`/api/fleet/alerts/${forged.rows[0]!.id}/retrain`, {});
        assert.equal(refused.status, 403, JSON.stringify(refused.json));
        assert.match(refused.json.error.message, /another workspace/);
        // The alert of its own version gets past that check (and then has no notebook to re-run).
        const own = (await alerts(owner.workspaceId)).find((a) => a.modelVersionId === home.versionId)!;
        assert.equal((await owner.api.post(`/api/fleet/alerts/${own.id}/retrain`, {})).status, 409);
      }
    });
  });
}
