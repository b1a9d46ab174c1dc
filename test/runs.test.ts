import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { connectCollab, eventually } from './helpers/collab-client';
import { notebookWith, waitForPrinted } from './helpers/notebook-cells';
import { addUser, ownerSession } from './helpers/scenario';
import { apiClient, BACKENDS, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';
import { enrollSimulated } from './helpers/simulated-agent';

// Runs are experiments, not cell executions: the kernel session's active run spans the cells that log
// into it (MLflow's active run, W&B's wandb.init) until ferry.endRun(), ferry.startRun(), a failed
// cell, a new Run all or the kernel's end; Run all, a background training and a retraining each make
// exactly one run. On the embedded defaults and on PostgreSQL + NATS.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Owner = Awaited<ReturnType<typeof ownerSession>>;

const PARAMS_CELL = `// params
const epochs = 3;
await ferry.logParams({ epochs, units: 4 });`;
const TRAIN_CELL = `// train
const xs = Array.from({ length: 120 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7)]);
const ys = xs.map(([a, b]) => [a + b > 0 ? 1 : 0]);
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 4, activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
await ferry.fit(model, tf.tensor2d(xs), tf.tensor2d(ys), { epochs, batchSize: 32, verbose: 0 });`;
const REGISTER_CELL = `// register
await ferry.logModel(model, { sampleInput: xs.slice(0, 2), trainingData: xs, featureNames: ['a', 'b'] });
const active = await ferry.activeRun();
console.log('ACTIVE', active.id, active.name);`;

async function runsOf(owner: Owner, notebookId: string): Promise<Json[]> {
  return (await owner.api.get(`/api/runs?notebookId=${notebookId}`)).json.runs as Json[];
}

async function executions(owner: Owner, notebookId: string): Promise<Json[]> {
  return (await owner.api.get(`/api/notebooks/${notebookId}/executions`)).json.executions as Json[];
}

/** Waits until every execution of the notebook ended, and returns their statuses by execution id. */
async function settled(owner: Owner, notebookId: string, count: number): Promise<Map<string, string>> {
  let rows: Json[] = [];
  await eventually(
    async () => {
      rows = await executions(owner, notebookId);
      return rows.length >= count && rows.every((e) => e.status !== 'queued' && e.status !== 'running');
    },
    120_000,
    `${count} executions to end`,
  );
  return new Map(rows.map((e) => [e.executionId as string, e.status as string]));
}

async function runCell(api: Owner['api'], notebookId: string, cellId: string): Promise<string> {
  const ran = await api.post(`/api/notebooks/${notebookId}/cells/${cellId}/run`);
  assert.equal(ran.status, 202, JSON.stringify(ran.json));
  return ran.json.executionId as string;
}

for (const config of BACKENDS) {
  describe(`runs span cells on ${config.name}`, () => {
    let server: ServerProcess;
    let owner: Owner;
    let skip: string | null = null;
    before(async () => {
      skip = await serverSkipReason(config);
      if (skip) return;
      server = await startServerProcess({ db: config.db, nats: config.nats });
      owner = await ownerSession(server);
    });
    after(async () => server?.dispose());

    test('params, training and model cells under Run all → one run that promotes, with params and metrics on the review; Run all again → a second run', async (c) => {
      if (skip) return c.skip(skip);
      const { notebookId, cellIds, name } = await notebookWith(server, owner, [PARAMS_CELL, TRAIN_CELL, REGISTER_CELL], 'Churn model');
      const watch = connectCollab(server.url, notebookId, owner.token);
      // Closed even when an assertion fails: an open socket would keep the test process alive.
      c.after(() => watch.destroy());
      await watch.synced();
      assert.equal((await owner.api.post(`/api/notebooks/${notebookId}/run`, {})).status, 202);
      const statuses = await settled(owner, notebookId, 3);
      assert.deepEqual([...statuses.values()], ['ok', 'ok', 'ok']);
      const [, activeId, activeName] = await waitForPrinted(watch, cellIds[2]!, /ACTIVE (\S+) (.+)/);

      const runs = await runsOf(owner, notebookId);
      assert.equal(runs.length, 1, `one run for the three cells: ${JSON.stringify(runs.map((r) => r.name))}`);
      const run = runs[0]!;
      assert.equal(run.id, activeId, 'ferry.activeRun() names the run');
      assert.equal(run.name, `${name} · params`, 'named after the notebook and the first logging cell’s comment');
      assert.equal(activeName, run.name);
      assert.equal(run.status, 'running', 'the active run stays open after Run all, until ended');
      assert.deepEqual(run.params, { epochs: '3', units: '4' });
      assert.equal(typeof run.metrics.loss, 'number');
      const detail = (await owner.api.get(`/api/runs/${run.id}`)).json;
      assert.deepEqual(
        detail.cells.map((cell: Json) => cell.cellId),
        cellIds,
        'the run records each cell that logged into it',
      );
      assert.ok(detail.cells.every((cell: Json) => cell.user?.id === owner.userId && /^[0-9a-f]{64}$/.test(cell.sourceHash)));
      assert.equal(detail.cells[1].source, TRAIN_CELL, 'with the source as it ran');
      assert.equal(detail.notebookVersions.length, 1);
      assert.match(detail.workerId, /^embedded-/, 'the worker that ran it');
      assert.ok(detail.backend, 'and the tfjs backend');
      assert.equal(detail.metrics.find((m: Json) => m.key === 'loss').points, 3);

      const promoted = await owner.api.post(`/api/runs/${run.id}/promote`, { modelName: `churn-${config.db}` });
      assert.equal(promoted.status, 201, JSON.stringify(promoted.json));
      const review = (await owner.api.get(`/api/model-versions/${promoted.json.version.id}`)).json;
      assert.deepEqual(
        (review.lineage.run.params as Json[]).map((p) => [p.key, p.value]),
        [
          ['epochs', '3'],
          ['units', '4'],
        ],
      );
      assert.ok(
        (review.lineage.run.metrics as Json[]).some((m) => m.key === 'loss'),
        JSON.stringify(review.lineage.run.metrics),
      );
      assert.equal((await owner.api.get(`/api/runs/${run.id}`)).json.modelVersions[0].id, promoted.json.version.id);

      // The MLflow API and the run search see the same run.
      // (the MLflow API takes tokens, as MLflow clients send them, not the browser's cookie)
      const mlflow = (await apiClient(server.url, { token: owner.token }).get(`/api/2.0/mlflow/runs/get?run_id=${run.id}`)).json.run;
      assert.equal(mlflow.info.run_name, run.name);
      assert.deepEqual((mlflow.data.params as Json[]).map((p) => `${p.key}=${p.value}`).sort(), ['epochs=3', 'units=4']);
      assert.ok((mlflow.data.metrics as Json[]).some((m) => m.key === 'loss'));
      const found = (
        await owner.api.get(`/api/runs/search?workspaceId=${owner.workspaceId}&filter=${encodeURIComponent("params.units = '4'")}`)
      ).json.runs as Json[];
      assert.ok(
        found.some((r) => r.id === run.id),
        JSON.stringify(found.map((r) => r.name)),
      );

      // A new Run all is a new experiment: the first run ends (finished), the second opens.
      assert.equal((await owner.api.post(`/api/notebooks/${notebookId}/run`, {})).status, 202);
      await settled(owner, notebookId, 6);
      const again = await runsOf(owner, notebookId);
      assert.equal(again.length, 2, JSON.stringify(again.map((r) => [r.name, r.status])));
      assert.equal(again.find((r) => r.id === run.id)!.status, 'finished');
      assert.equal(again.find((r) => r.id !== run.id)!.status, 'running');
    });

    test('startRun / endRun set the boundaries; two users’ cells in the shared kernel log into one run, each attributed; restart and a failed cell end runs', async (c) => {
      if (skip) return c.skip(skip);
      const editor = await addUser(server, { email: `editor-${randomUUID().slice(0, 6)}@example.test`, role: 'editor' });
      const { notebookId, cellIds } = await notebookWith(server, owner, [
        "const r = await ferry.startRun({ name: 'baseline', params: { lr: 0.1 } });\nconsole.log('STARTED', r.id);",
        "ferry.logMetric('acc', 0.5, 0);\nawait ferry.flush();",
        "await ferry.endRun();\nconsole.log('AFTER', JSON.stringify(await ferry.activeRun()));",
        "ferry.logMetric('acc', 0.7);\nawait ferry.flush();\nconsole.log('NEXT', (await ferry.activeRun())!.id);",
        "ferry.logMetric('x', 1);\nawait ferry.flush();\nthrow new Error('boom');",
      ]);
      const watch = connectCollab(server.url, notebookId, owner.token);
      // Closed even when an assertion fails: an open socket would keep the test process alive.
      c.after(() => watch.destroy());
      await watch.synced();
      await runCell(owner.api, notebookId, cellIds[0]!);
      const [, baselineId] = await waitForPrinted(watch, cellIds[0]!, /STARTED (\S+)/);
      await settled(owner, notebookId, 1);
      await runCell(editor.api, notebookId, cellIds[1]!);
      await settled(owner, notebookId, 2);
      await runCell(owner.api, notebookId, cellIds[2]!);
      await waitForPrinted(watch, cellIds[2]!, /AFTER null/);
      await settled(owner, notebookId, 3);

      const baseline = (await owner.api.get(`/api/runs/${baselineId}`)).json;
      assert.equal(baseline.name, 'baseline');
      assert.equal(baseline.status, 'finished', 'ferry.endRun() ended it');
      assert.deepEqual(baseline.params, { lr: '0.1' });
      assert.equal(baseline.metrics[0].key, 'acc');
      assert.deepEqual(
        baseline.cells.map((cell: Json) => [cell.cellId, cell.user.id]),
        [
          [cellIds[0], owner.userId],
          [cellIds[1], editor.userId],
        ],
        'the editor’s cell logged into the owner’s active run, attributed to the editor',
      );

      await runCell(owner.api, notebookId, cellIds[3]!);
      const [, nextId] = await waitForPrinted(watch, cellIds[3]!, /NEXT (\S+)/);
      await settled(owner, notebookId, 4);
      assert.notEqual(nextId, baselineId, 'the next logging call after endRun opened a new run');
      const next = (await owner.api.get(`/api/runs/${nextId}`)).json;
      assert.equal(next.status, 'running');
      assert.match(next.name, / · \[4\]$/, 'a cell without a comment names the run by its execution count');

      // Restarting the kernel ends its session, and the session's active run as finished.
      assert.equal((await owner.api.post(`/api/notebooks/${notebookId}/kernel/restart`)).status, 200);
      await eventually(
        async () => (await owner.api.get(`/api/runs/${nextId}`)).json.status === 'finished',
        10_000,
        'the restart to end the run',
      );

      // A failed cell fails the active run it logged into.
      await runCell(owner.api, notebookId, cellIds[4]!);
      await settled(owner, notebookId, 5);
      const failed = (await runsOf(owner, notebookId)).find((r) => r.id !== baselineId && r.id !== nextId)!;
      assert.equal(failed.status, 'failed');
      assert.equal(failed.metrics.x, 1);
    });

    test('a background training of three cells is one run', async (c) => {
      if (skip) return c.skip(skip);
      const { notebookId, cellIds } = await notebookWith(server, owner, [PARAMS_CELL, TRAIN_CELL, REGISTER_CELL]);
      const queued = await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellIds[2]}/train`, {});
      assert.equal(queued.status, 202, JSON.stringify(queued.json));
      let training: Json = {};
      await eventually(
        async () => ['succeeded', 'failed'].includes((training = (await owner.api.get(`/api/trainings/${queued.json.id}`)).json).status),
        120_000,
        'the training to end',
      );
      assert.equal(training.status, 'succeeded', training.log);
      const runs = await runsOf(owner, notebookId);
      assert.equal(runs.length, 1, JSON.stringify(runs.map((r) => r.name)));
      assert.equal(runs[0]!.id, training.runId);
      assert.equal(runs[0]!.status, 'finished', 'the training’s last cell ends its run');
      assert.deepEqual(runs[0]!.params, { epochs: '3', units: '4' });
      const detail = (await owner.api.get(`/api/runs/${training.runId}`)).json;
      assert.equal(detail.cells.length, 3);
      assert.equal(detail.training.id, queued.json.id);
      assert.equal(detail.artifacts.length > 0, true, 'the model logged by the third cell');
    });

    test('retraining a notebook that hard-codes its dataset answers 409 with the cell; confirmed, it re-runs on the recorded data as one run', async (c) => {
      if (skip) return c.skip(skip);
      const dataset = `hard-${randomUUID().slice(0, 6)}`;
      const csv = 'a,b\n' + Array.from({ length: 60 }, (_, i) => `${Math.sin(i)},${Math.cos(i)}`).join('\n');
      const upload = await fetch(`${server.url}/api/datasets/upload?workspaceId=${owner.workspaceId}&name=${dataset}&format=csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'text/csv' },
        body: csv,
      });
      assert.equal(upload.status, 201);
      const { notebookId } = await notebookWith(server, owner, [
        `const d = await ferry.useDataset('${dataset}@1');\nconst xs = d.rows.map((r) => [Number(r.a), Number(r.b)]);`,
        `const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });\nawait ferry.logModel(model, { sampleInput: xs.slice(0, 2), trainingData: xs, featureNames: ['a', 'b'] });`,
      ]);
      assert.equal((await owner.api.post(`/api/notebooks/${notebookId}/run`, {})).status, 202);
      await settled(owner, notebookId, 2);
      const [source] = await runsOf(owner, notebookId);
      const promoted = await owner.api.post(`/api/runs/${source!.id}/promote`, { modelName: `hard-${config.db}` });
      assert.equal(promoted.status, 201, JSON.stringify(promoted.json));
      const versionId = promoted.json.version.id as string;
      assert.equal((await owner.api.post(`/api/model-versions/${versionId}/approve`, {})).status, 200);
      const group = `g-${randomUUID().slice(0, 6)}`;
      const device = await enrollSimulated(owner.api, server.url, { workspaceId: owner.workspaceId, name: group, group });
      assert.equal((await owner.api.post('/api/deployments', { workspaceId: owner.workspaceId, group, versionId })).status, 201);
      assert.equal(await device.poll(), 200);
      const report = {
        idempotencyKey: randomUUID(),
        modelVersionId: versionId,
        windowStart: new Date(Date.now() - 60_000).toISOString(),
        windowEnd: new Date().toISOString(),
        sampleCount: 100,
        features: [
          {
            name: 'a',
            type: 'numeric',
            psi: 0.9,
            ks: { statistic: 0.5, pvalue: 1e-7 },
            wasserstein: 1,
            jensenshannon: null,
            chi2: null,
            drift: true,
          },
        ],
      };
      assert.equal((await device.post('/api/device/drift-reports', report)).status, 200);
      const alerts = (await owner.api.get(`/api/fleet/alerts?workspaceId=${owner.workspaceId}`)).json.alerts as Json[];
      const alert = alerts.find((a) => a.modelVersionId === versionId)!;
      assert.ok(alert, JSON.stringify(alerts));

      const refused = await owner.api.post(`/api/fleet/alerts/${alert.id}/retrain`, { dataRef: `${dataset}@2` });
      assert.equal(refused.status, 409, JSON.stringify(refused.json));
      assert.match(refused.json.error.message, new RegExp(`hard-codes its dataset \\(cell 1 reads '${dataset}@1'\\)`));
      assert.match(refused.json.error.message, /never reads ferry\.params\.dataRef/);
      assert.equal((await runsOf(owner, notebookId)).length, 1, 'nothing started');

      const confirmed = await owner.api.post(`/api/fleet/alerts/${alert.id}/retrain`, { dataRef: `${dataset}@2`, useRecordedData: true });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.json));
      let retrained: Json | undefined;
      await eventually(
        async () =>
          (retrained = (await runsOf(owner, notebookId)).find((r) => r.id !== source!.id && r.status === 'finished')) !== undefined,
        120_000,
        'the retraining run to finish',
      );
      assert.equal((await runsOf(owner, notebookId)).length, 2, 'the retraining is one run');
      const detail = (await owner.api.get(`/api/runs/${retrained!.id}`)).json;
      assert.equal(detail.tags['ferry.data_ref'], '(as recorded)', 'it says it used the recorded data, not the one asked for');
      assert.deepEqual(
        detail.datasets.map((d: Json) => `${d.name}@${d.version}`),
        [`${dataset}@1`],
        'and records the data it read',
      );
      assert.equal(detail.cells.length, 2);
      const shown = (await owner.api.get(`/api/fleet/alerts?workspaceId=${owner.workspaceId}`)).json.alerts as Json[];
      assert.deepEqual(shown.find((a) => a.id === alert.id)!.retrainData, [`${dataset}@1`], 'the alert shows the data the retraining used');
    });
  });
}
