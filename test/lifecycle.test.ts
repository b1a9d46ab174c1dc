import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startAgent, runAgentCommand, type AgentProcess } from './helpers/agent';
import { eventually } from './helpers/collab-client';
import { TRAINING_CELL, waitForCellOutputs, writeFirstCell } from './helpers/lifecycle';
import { ownerSession, addUser } from './helpers/scenario';
import { BACKENDS, apiClient, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';

// The whole lifecycle through the real parts: a notebook cell trains and logs a model on a worker,
// the run is promoted to an ONNX version, approved and deployed, an agent process pulls it, serves
// predictions equal to the tfjs model's, and reports drift that the server shows per device.
// Runs on the embedded defaults and on PostgreSQL + NATS.

for (const config of BACKENDS) {
  describe(`lifecycle on ${config.name}`, () => {
    let server: ServerProcess;
    let agent: AgentProcess | undefined;
    let skip: string | null = null;
    before(async () => {
      skip = await serverSkipReason(config);
      if (!skip) server = await startServerProcess({ db: config.db, nats: config.nats, env: { FERRY_AUTO_RETRAIN_SWEEP_MS: '500' } });
    });
    after(async () => {
      await agent?.dispose();
      await server?.dispose();
    });

    test('notebook → run → ONNX version → device → drift', async (c) => {
      if (skip) return c.skip(skip);
      const owner = await ownerSession(server);
      const notebookId = (await owner.api.post('/api/notebooks', { name: 'Classifier' })).json.id as string;
      const cellId = await writeFirstCell(server.url, notebookId, owner.token, TRAINING_CELL);

      // A cell that throws gives a clear error and stores nothing broken; the notebook stays usable.
      const run = await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellId}/run`);
      assert.equal(run.status, 202, JSON.stringify(run.json));
      const cell = await waitForCellOutputs(server.url, notebookId, owner.token);
      const errors = cell.outputs.filter((o) => o.output_type === 'error');
      assert.deepEqual(errors, [], JSON.stringify(errors));
      assert.ok(cell.outputs.some((o) => o.output_type === 'stream' && o.text.includes('trained on 400 rows')));
      const trainedAt = Date.now();

      const runs = (await owner.api.get(`/api/runs?notebookId=${notebookId}`)).json.runs as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(runs.length, 1);
      const theRun = runs[0]!;
      assert.equal(theRun.status, 'running', 'the kernel session’s active run stays open after the cell');
      assert.deepEqual(theRun.params, { epochs: '5', units: '8', optimizer: 'adam', data: 'synthetic-v1' });
      assert.equal(typeof theRun.metrics.loss, 'number');
      assert.equal(theRun.notebookVersionId, run.json.notebookVersionId);
      const history = await owner.api.get(`/api/runs/${theRun.id}/metrics?key=loss`);
      assert.equal(history.json.points.length, 5);

      // An editor without the approver flag can promote but not approve.
      const editor = await addUser(server, { email: 'editor@example.test', role: 'editor' });
      const promoted = await editor.api.post(`/api/runs/${theRun.id}/promote`, { modelName: 'churn' });
      assert.equal(promoted.status, 201, JSON.stringify(promoted.json));
      assert.ok(promoted.json.parity <= 1e-4);
      const versionId = promoted.json.version.id as string;
      assert.equal((await editor.api.post(`/api/model-versions/${versionId}/approve`, {})).status, 403);
      assert.equal(
        (await owner.api.post(`/api/model-versions/${versionId}/deploy`, {})).status,
        409,
        'pending versions cannot be deployed',
      );
      assert.equal((await owner.api.post(`/api/model-versions/${versionId}/approve`, { comment: 'looks good' })).status, 200);
      assert.equal((await owner.api.post(`/api/model-versions/${versionId}/approve`, {})).status, 409, 'decided once');
      assert.equal((await owner.api.post(`/api/model-versions/${versionId}/deploy`, {})).status, 200);
      const version = (await owner.api.get(`/api/model-versions/${versionId}`)).json;
      assert.equal(version.lineage.notebookVersion.id, run.json.notebookVersionId);

      // A wrong enrollment token: a clear error and exit code 2.
      const wrong = runAgentCommand(['--server', server.url, '--enroll', 'fenr_not-a-real-token']);
      assert.equal(await wrong.exited, 2);
      assert.match(wrong.output(), /enrollment refused \(401\)/);

      const token = (await owner.api.post('/api/enrollment-tokens', { workspaceId: owner.workspaceId, deviceName: 'edge-1' })).json
        .token as string;
      agent = await startAgent(server.url, token, { FERRY_AGENT_DRIFT_EVERY: '50', FERRY_AGENT_DRIFT_WINDOW: '200' });
      const device = apiClient(agent.url);
      await eventually(
        async () => (await device.get('/health')).json.modelVersionId === versionId,
        60_000,
        'the agent to load the model',
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\nagent log:\n${agent!.logs()}`);
      });
      const sample = await device.post('/predict', { inputs: version.sampleInput });
      const firstPrediction = Date.now();
      assert.equal(sample.status, 200);
      const worst = Math.max(
        ...(sample.json.outputs as number[][]).flatMap((row, i) => row.map((v, j) => Math.abs(v - version.sampleOutput[i][j]))),
      );
      assert.ok(worst <= 1e-4, `agent vs tfjs max difference ${worst}`);
      console.log(
        `[timing] training cell finished → first prediction served by the agent: ${firstPrediction - trainedAt} ms (${config.name})`,
      );

      const wrongShape = await device.post('/predict', { inputs: [[1, 2]] });
      assert.equal(wrongShape.status, 400);
      assert.match(wrongShape.json.error.message, /expects shape \[batch, 3\]/);

      // Inputs from a shifted world: feature a moves far off, b and c stay as in training.
      const shifted = Array.from({ length: 60 }, (_, i) => [3 + Math.sin(i), Math.cos(i * 0.7), (i % 10) / 10]);
      assert.equal((await device.post('/predict', { inputs: shifted })).status, 200);
      await eventually(
        async () => {
          const list = (await owner.api.get(`/api/devices?workspaceId=${owner.workspaceId}`)).json.devices as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
          return list[0]?.latestDrift != null;
        },
        30_000,
        'a drift report',
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\nagent log:\n${agent!.logs()}`);
      });
      const [listed] = (await owner.api.get(`/api/devices?workspaceId=${owner.workspaceId}`)).json.devices;
      assert.equal(listed.name, 'edge-1');
      assert.equal(listed.model.versionId, versionId);
      assert.equal(listed.health, 'ok');
      const features = listed.latestDrift.features as Array<{ name: string; psi: number; drift: boolean }>;
      assert.deepEqual(
        features.map((f) => f.name),
        ['a', 'b', 'c'],
      );
      assert.equal(features.find((f) => f.name === 'a')!.drift, true);
      assert.ok(features.find((f) => f.name === 'a')!.psi > 0.2);

      // The drift raised an alert; "retrain" re-runs the source notebook version headless with newer
      // data, and the new run links back to the alert and to the same notebook version.
      const alerts = (await owner.api.get(`/api/fleet/alerts?workspaceId=${owner.workspaceId}`)).json.alerts as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const alertA = alerts.find((a) => a.feature === 'a');
      assert.ok(alertA, JSON.stringify(alerts));
      const retrain = await owner.api.post(`/api/fleet/alerts/${alertA.id}/retrain`, { dataRef: 'synthetic-v2' });
      assert.equal(retrain.status, 200, JSON.stringify(retrain.json));
      let retrained: Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
      await eventually(
        async () => {
          const all = (await owner.api.get(`/api/runs?notebookId=${notebookId}`)).json.runs as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
          retrained = all.find((r) => r.id !== theRun.id && r.status === 'finished');
          return retrained !== undefined;
        },
        120_000,
        'the retraining run to finish',
      );
      assert.equal(retrained!.params.data, 'synthetic-v2');
      assert.equal(retrained!.notebookVersionId, theRun.notebookVersionId);
      const after = (await owner.api.get(`/api/fleet/alerts?workspaceId=${owner.workspaceId}`)).json.alerts as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(after.find((a) => a.id === alertA.id)!.retrainRunId, retrained!.id);
      // The retraining ran on its own kernel: the shared notebook's outputs are those of the user's run.
      const cellAfter = await waitForCellOutputs(server.url, notebookId, owner.token);
      assert.equal(cellAfter.execution_count, 1);

      // Automatic retraining: with it on for the model, drift that persists re-runs the source notebook
      // by itself, once, on the configured data (never deploying anything).
      assert.equal((await owner.api.post(`/api/fleet/alerts/${alertA.id}/resolve`)).status, 200);
      const auto = await owner.api.raw('PUT', `/api/models/${version.model.id}/auto-retrain`, { minutes: 0, dataRef: 'synthetic-v3' });
      assert.equal(auto.status, 200, JSON.stringify(auto.json));
      assert.equal((await editor.api.raw('PUT', `/api/models/${version.model.id}/auto-retrain`, { minutes: -1 })).status, 400);
      assert.equal((await device.post('/predict', { inputs: shifted })).status, 200);
      let autoRun: Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
      await eventually(
        async () => {
          const all = (await owner.api.get(`/api/runs?notebookId=${notebookId}`)).json.runs as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
          autoRun = all.find((r) => r.params.data === 'synthetic-v3' && r.status === 'finished');
          return autoRun !== undefined;
        },
        120_000,
        'the automatic retraining to run',
      );
      type Alert = { id: string; feature: string; retrainRunId: string | null };
      const alertsNow = (await owner.api.get(`/api/fleet/alerts?workspaceId=${owner.workspaceId}`)).json.alerts as Alert[];
      const linked = alertsNow.find((a) => a.retrainRunId === autoRun!.id);
      assert.ok(linked, `the automatic run links back to an alert: ${JSON.stringify(alertsNow)}`);
      assert.notEqual(linked.id, alertA.id, 'a new alert, raised by the drift that went on');
      assert.equal(
        alertsNow.filter((a) => a.retrainRunId !== null && a.id !== alertA.id).length,
        1,
        'one automatic retraining for the drifting version, not one per alert',
      );
      const deployed = (await owner.api.get(`/api/devices?workspaceId=${owner.workspaceId}`)).json.devices[0];
      assert.equal(deployed.model.versionId, versionId, 'nothing was deployed by the automatic retraining');

      // Data lineage: a cell reads a dataset version; the run records which one.
      const csv =
        'a,b,c,label\n' + Array.from({ length: 50 }, (_, i) => `${Math.sin(i)},${Math.cos(i)},${(i % 10) / 10},${i % 2}`).join('\n');
      const upload = await fetch(`${server.url}/api/datasets/upload?workspaceId=${owner.workspaceId}&name=churn-data&format=csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'text/csv' },
        body: csv,
      });
      assert.equal(upload.status, 201);
      const uploaded = (await upload.json()) as { version: { sha256: string } };
      await writeFirstCell(
        server.url,
        notebookId,
        owner.token,
        [
          // The kernel's active run is still the training's: this experiment starts its own.
          "await ferry.startRun({ name: 'from data' });",
          "const d = await ferry.useDataset('churn-data@1');",
          "console.log('rows', d.rows.length, 'columns', d.columns.map((c) => c.name).join(' '));",
          'const x = d.rows.map((r) => [Number(r.a), Number(r.b), Number(r.c)]);',
          "const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 1, activation: 'sigmoid' })] });",
          "m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });",
          'await m.fit(tf.tensor2d(x), tf.tensor2d(d.rows.map((r) => [Number(r.label)])), { epochs: 1, verbose: 0 });',
          // No trainingData: the drift reference must come from the dataset version the run read.
          "await ferry.logModel(m, { sampleInput: x.slice(0, 2), featureNames: ['a', 'b', 'c'] });",
        ].join('\n'),
      );
      assert.equal((await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellId}/run`)).status, 202);
      let dataRun: Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
      await eventually(
        async () => {
          const all = (await owner.api.get(`/api/runs?notebookId=${notebookId}`)).json.runs as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
          dataRun = all.find((r) => r.name === 'from data');
          // Its model is logged by the cell's last line: wait for it before promoting.
          return dataRun !== undefined && (await owner.api.get(`/api/runs/${dataRun.id}`)).json.artifacts.length > 0;
        },
        60_000,
        'the dataset cell to finish',
      );
      const lineage = (await owner.api.get(`/api/runs/${dataRun!.id}`)).json;
      assert.deepEqual(
        lineage.datasets.map((d: { name: string; version: number; sha256: string }) => [d.name, d.version, d.sha256]),
        [['churn-data', 1, uploaded.version.sha256]],
      );
      const fromData = await owner.api.post(`/api/runs/${dataRun!.id}/promote`, { modelName: 'churn-from-data' });
      assert.equal(fromData.status, 201, JSON.stringify(fromData.json));
      const dataVersion = (await owner.api.get(`/api/model-versions/${fromData.json.version.id}`)).json;
      assert.deepEqual(
        dataVersion.lineage.datasets.map((d: { ref: string }) => d.ref),
        ['churn-data@1'],
        'version → run → data',
      );
      assert.equal(dataVersion.referenceProfile.rows, 50, 'the drift reference is the dataset the run read');
      assert.deepEqual(
        dataVersion.referenceProfile.features.map((f: { name: string; type: string }) => [f.name, f.type]),
        [
          ['a', 'numeric'],
          ['b', 'numeric'],
          ['c', 'numeric'],
        ],
      );
      assert.equal(dataVersion.referenceProfile.features[0].sample.length, 50);
      assert.equal(dataVersion.history[0].data.referenceFrom, 'churn-data@1');
    });
  });
}
