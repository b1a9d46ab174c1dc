import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import MLflow from 'mlflow';
import { buildOnnxMlp, uploadApproved } from './helpers/onnx-models';
import { addUser, ownerSession } from './helpers/scenario';
import { apiClient, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';
import type { TestDbKind } from './helpers/db';

// The MLflow-compatible REST API: tracking through the npm `mlflow` client (the only MLflow client on
// the npm registry), the registry and the error conventions through plain HTTP, and 8 concurrent
// loggers on one run losing nothing. On PGlite and on PostgreSQL.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function mlflowHttp(base: string, token: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const url = `${base}/api/2.0/mlflow/${path}`;
    const res = await fetch(method === 'GET' && body ? `${url}?${new URLSearchParams(body as Record<string, string>)}` : url, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: method === 'GET' || body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };
  return call;
}

for (const db of ['pglite', 'postgres'] as TestDbKind[]) {
  describe(`MLflow API on ${db}`, () => {
    let server: ServerProcess;
    let owner: Awaited<ReturnType<typeof ownerSession>>;
    let skip: string | null = null;
    before(async () => {
      skip = await serverSkipReason({ db });
      if (skip) return;
      server = await startServerProcess({ db });
      owner = await ownerSession(server);
    });
    after(async () => server?.dispose());

    test('tracking through the npm mlflow client', async (c) => {
      if (skip) return c.skip(skip);
      const client = new MLflow({ endpoint: server.url, headers: { Authorization: `Bearer ${owner.token}` } });
      const quiet = console.log;
      console.log = () => undefined; // the client prints every request body
      try {
        const { experiment_id } = (await client.Experiments.create({ name: 'churn-mlflow', artifact_location: '' })) as Json;
        const { experiment } = (await client.Experiments.get({ experiment_id })) as Json;
        assert.equal(experiment.name, 'churn-mlflow');
        assert.equal(experiment.lifecycle_stage, 'active');
        assert.ok(((await client.Experiments.list({} as never)) as Json).experiments.some((e: Json) => e.experiment_id === experiment_id));

        const runIds: string[] = [];
        for (let i = 0; i < 25; i++) {
          const { run } = (await client.Runs.create({
            experiment_id,
            start_time: Date.now(),
            tags: [{ key: 'mlflow.runName', value: `r${i}` }],
          } as never)) as Json;
          runIds.push(run.info.run_id);
          await client.Runs.logParameter({ run_id: run.info.run_id, key: 'model', value: i % 2 ? 'mlp' : 'cnn' });
          await client.Runs.logBatch({
            run_id: run.info.run_id,
            metrics: [
              { key: 'acc', value: i / 100, timestamp: Date.now(), step: 0 },
              { key: 'acc', value: i / 10, timestamp: Date.now(), step: 1 },
            ],
          } as never);
        }
        const first = runIds[0]!;
        await client.Runs.logMetric({ run_id: first, key: 'loss', value: 0.5, timestamp: Date.now(), step: 3 });
        await client.Runs.setTag({ run_id: first, key: 'team', value: 'vision' });
        const { run } = (await client.Runs.get({ run_id: first })) as Json;
        assert.equal(run.info.run_name, 'r0');
        assert.equal(run.info.status, 'RUNNING');
        assert.deepEqual(run.data.params, [{ key: 'model', value: 'cnn' }]);
        assert.ok(run.data.tags.some((t: Json) => t.key === 'team' && t.value === 'vision'));
        assert.equal(run.data.metrics.find((m: Json) => m.key === 'acc').step, 1, 'the latest point is the highest step');

        // Filter by param and metric, sort by metric, page through with keyset tokens.
        const seen: string[] = [];
        let token: string | undefined;
        do {
          const page = (await client.Runs.search({
            experiment_ids: [experiment_id],
            filter: "params.model = 'mlp' and metrics.acc >= 0.5",
            run_view_type: 'ACTIVE_ONLY',
            max_results: 4,
            order_by: ['metrics.acc DESC'],
            page_token: token,
          } as never)) as Json;
          seen.push(...page.runs.map((r: Json) => r.info.run_name));
          token = page.next_page_token;
        } while (token);
        assert.deepEqual(seen, ['r23', 'r21', 'r19', 'r17', 'r15', 'r13', 'r11', 'r9', 'r7', 'r5']);

        // Sorting by a metric only one run has: that run first, then every other run once, across pages.
        const byLoss: string[] = [];
        token = undefined;
        do {
          const page = (await client.Runs.search({
            experiment_ids: [experiment_id],
            order_by: ['metrics.loss DESC'],
            max_results: 7,
            page_token: token,
          } as never)) as Json;
          byLoss.push(...page.runs.map((r: Json) => r.info.run_name));
          token = page.next_page_token;
        } while (token);
        assert.equal(byLoss[0], 'r0');
        assert.equal(byLoss.length, 25);
        assert.equal(new Set(byLoss).size, 25);

        const history = (await client.Metrics.getHistory({ run_id: first, metric_key: 'acc' })) as Json;
        assert.deepEqual(
          history.metrics.map((m: Json) => [m.step, m.value]),
          [
            [0, 0],
            [1, 0],
          ],
        );
        await client.Runs.update({ run_id: first, status: 'FINISHED', end_time: Date.now() } as never);
        assert.equal(((await client.Runs.get({ run_id: first })) as Json).run.info.status, 'FINISHED');
        await client.Runs.delete({ run_id: first });
        const active = (await client.Runs.search({
          experiment_ids: [experiment_id],
          filter: "attributes.run_name = 'r0'",
        } as never)) as Json;
        assert.equal(active.runs?.length ?? 0, 0, 'a deleted run is not active');
        const deleted = (await client.Runs.search({
          experiment_ids: [experiment_id],
          filter: "attributes.run_name = 'r0'",
          run_view_type: 'DELETED_ONLY',
        } as never)) as Json;
        assert.equal(deleted.runs.length, 1);
        await client.Runs.restore({ run_id: first });
        // The runs page searches the same way across the workspace's experiments.
        const page = await owner.api.get(
          `/api/runs/search?workspaceId=${owner.workspaceId}&limit=3&orderBy=${encodeURIComponent('metrics.acc DESC')}&filter=${encodeURIComponent("params.model = 'mlp'")}`,
        );
        assert.equal(page.status, 200, JSON.stringify(page.json));
        assert.deepEqual(
          page.json.runs.map((r: Json) => r.name),
          ['r23', 'r21', 'r19'],
        );
        assert.ok(page.json.nextPageToken);
        assert.equal(
          (await owner.api.get(`/api/runs/search?workspaceId=${owner.workspaceId}&filter=${encodeURIComponent('metrics.acc <')}`)).status,
          400,
        );
        assert.deepEqual(((await client.Artifacts.list({ run_id: first } as never)) as Json).files, []);
      } finally {
        console.log = quiet;
      }
    });

    test('errors follow MLflow’s conventions', async (c) => {
      if (skip) return c.skip(skip);
      const call = mlflowHttp(server.url, owner.token);
      const missing = await call('GET', 'experiments/get', { experiment_id: '00000000-0000-4000-8000-000000000000' });
      assert.equal(missing.status, 404);
      assert.equal(missing.json.error_code, 'RESOURCE_DOES_NOT_EXIST');
      await call('POST', 'experiments/create', { name: 'dupe' });
      const dupe = await call('POST', 'experiments/create', { name: 'dupe', unknown_field: 1 });
      assert.equal(dupe.status, 400);
      assert.equal(dupe.json.error_code, 'RESOURCE_ALREADY_EXISTS');
      const noName = await call('POST', 'experiments/create', {});
      assert.equal(noName.status, 400);
      assert.equal(noName.json.error_code, 'INVALID_PARAMETER_VALUE');
      const exp = (await call('POST', 'experiments/create', { name: 'limits' })).json.experiment_id as string;
      const run = (await call('POST', 'runs/create', { experiment_id: exp })).json.run.info.run_id as string;
      const tooMany = await call('POST', 'runs/log-batch', {
        run_id: run,
        metrics: Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: 0, step: i })),
      });
      assert.equal(tooMany.status, 400);
      assert.match(tooMany.json.message, /at most 1000 metrics/);
      assert.equal((await call('POST', 'runs/log-parameter', { run_id: run, key: 'lr', value: '0.1' })).status, 200);
      const changed = await call('POST', 'runs/log-parameter', { run_id: run, key: 'lr', value: '0.2' });
      assert.equal(changed.status, 400);
      assert.match(changed.json.message, /params cannot change/);
      const badFilter = await call('POST', 'runs/search', { experiment_ids: [exp], filter: "metrics.acc < 'x'" });
      assert.equal(badFilter.status, 400);
      assert.match(badFilter.json.message, /compares with a number/);
      const anon = await fetch(`${server.url}/api/2.0/mlflow/experiments/list`);
      assert.equal(anon.status, 401);
      assert.equal(((await anon.json()) as Json).error_code, 'UNAUTHENTICATED');
      assert.equal((await call('GET', 'runs/create')).status, 405);
      assert.equal((await call('GET', 'nothing/here')).status, 404);
    });

    test('the registry: models, versions, tags, aliases, rename, delete', async (c) => {
      if (skip) return c.skip(skip);
      const call = mlflowHttp(server.url, owner.token);
      const created = await call('POST', 'registered-models/create', {
        name: 'fraud',
        description: 'card fraud',
        tags: [{ key: 'team', value: 'risk' }],
      });
      assert.equal(created.status, 200, JSON.stringify(created.json));
      const v1 = await uploadApproved(owner.api, owner.workspaceId, 'fraud', buildOnnxMlp(21));
      await uploadApproved(owner.api, owner.workspaceId, 'fraud', buildOnnxMlp(22));
      const got = await call('GET', 'registered-models/get', { name: 'fraud' });
      assert.equal(got.json.registered_model.latest_versions[0].version, '2');
      assert.deepEqual(got.json.registered_model.tags, [{ key: 'team', value: 'risk' }]);
      const version = await call('GET', 'model-versions/get', { name: 'fraud', version: '1' });
      assert.equal(version.json.model_version.status, 'READY');
      assert.ok(version.json.model_version.tags.some((t: Json) => t.key === 'ferry.approval' && t.value === 'approved'));
      assert.equal(
        (await call('PATCH', 'model-versions/update', { name: 'fraud', version: '1', description: 'baseline' })).json.model_version
          .description,
        'baseline',
      );
      assert.equal(
        (await call('POST', 'model-versions/set-tag', { name: 'fraud', version: '1', key: 'eval', value: 'passed' })).status,
        200,
      );
      assert.equal((await call('POST', 'registered-models/alias', { name: 'fraud', alias: 'production', version: '1' })).status, 200);
      const byAlias = await call('GET', 'registered-models/alias', { name: 'fraud', alias: 'production' });
      assert.equal(byAlias.json.model_version.version, '1');
      assert.deepEqual(byAlias.json.model_version.aliases, ['production']);
      const search = await call('GET', 'model-versions/search', { filter: "name='fraud'" });
      assert.deepEqual(
        search.json.model_versions.map((v: Json) => v.version),
        ['1', '2'],
      );
      assert.equal((await call('GET', 'registered-models/search', { filter: "name LIKE 'fra%'" })).json.registered_models.length, 1);
      // An editor without the approver flag cannot move aliases.
      const editor = await addUser(server, { email: 'mlflow-editor@example.test', role: 'editor' });
      const denied = await mlflowHttp(server.url, editor.token)('POST', 'registered-models/alias', {
        name: 'fraud',
        alias: 'production',
        version: '2',
      });
      assert.equal(denied.status, 403);
      assert.equal(denied.json.error_code, 'PERMISSION_DENIED');
      assert.equal((await call('DELETE', 'registered-models/alias', { name: 'fraud', alias: 'production' })).status, 200);
      assert.equal((await call('GET', 'registered-models/alias', { name: 'fraud', alias: 'production' })).status, 404);
      assert.equal(
        (await call('POST', 'registered-models/rename', { name: 'fraud', new_name: 'fraud-v2' })).json.registered_model.name,
        'fraud-v2',
      );
      // A deployed model cannot be deleted.
      await owner.api.post('/api/deployments', { workspaceId: owner.workspaceId, group: 'mlflow', versionId: v1.versionId });
      const refused = await call('DELETE', 'registered-models/delete', { name: 'fraud-v2' });
      assert.equal(refused.status, 400);
      assert.equal(refused.json.error_code, 'INVALID_STATE');
      const versionFromNothing = await call('POST', 'model-versions/create', { name: 'fraud-v2', source: 's3://bucket/model' });
      assert.equal(versionFromNothing.status, 400);
      assert.match(versionFromNothing.json.message, /POST \/api\/models\/upload/);
    });

    test('8 concurrent loggers on one run lose nothing', async (c) => {
      if (skip) return c.skip(skip);
      const call = mlflowHttp(server.url, owner.token);
      const exp = (await call('POST', 'experiments/create', { name: 'concurrency' })).json.experiment_id as string;
      const run = (await call('POST', 'runs/create', { experiment_id: exp })).json.run.info.run_id as string;
      await Promise.all(
        Array.from({ length: 8 }, async (_, worker) => {
          for (let batch = 0; batch < 10; batch++) {
            const res = await call('POST', 'runs/log-batch', {
              run_id: run,
              metrics: Array.from({ length: 50 }, (_, i) => ({ key: 'loss', value: worker, timestamp: Date.now(), step: batch * 50 + i })),
              tags: [{ key: `worker-${worker}`, value: String(batch) }],
            });
            assert.equal(res.status, 200, JSON.stringify(res.json));
          }
        }),
      );
      const history = await call('GET', 'metrics/get-history', { run_id: run, metric_key: 'loss' });
      assert.equal(history.json.metrics.length, 8 * 10 * 50);
      for (let w = 0; w < 8; w++) assert.equal(history.json.metrics.filter((m: Json) => m.value === w).length, 500, `worker ${w}`);
      const got = await call('GET', 'runs/get', { run_id: run });
      assert.equal(got.json.run.data.metrics.find((m: Json) => m.key === 'loss').step, 499);
      assert.equal(got.json.run.data.tags.filter((t: Json) => t.key.startsWith('worker-')).length, 8);
      // The chart endpoint downsamples the 4,000 points to the chart's width.
      const chart = await apiClient(server.url, { token: owner.token }).get(`/api/runs/metric-chart?runIds=${run}&key=loss&width=100`);
      assert.equal(chart.status, 200, JSON.stringify(chart.json));
      const buckets = chart.json.series[0].buckets as Array<{ min: number; max: number; count: number }>;
      assert.ok(buckets.length <= 100);
      assert.equal(
        buckets.reduce((a, b) => a + b.count, 0),
        4000,
      );
      assert.ok(buckets.every((b) => b.min === 0 && b.max === 7));
    });
  });
}
