import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitForCellOutputs, writeFirstCell } from './helpers/lifecycle';
import { ownerSession } from './helpers/scenario';
import { startServerProcess, type ServerProcess } from './helpers/server';

// Bad input along the lifecycle: a cell that throws, a model the exporter cannot take, a model whose
// ONNX export disagrees with its recorded outputs, corrupt stored bytes. Each gets a clear error and
// leaves nothing half-written.

const dense = (name: string, units: number, inputShape?: number[]) => ({
  class_name: 'Dense',
  config: { name, units, activation: 'linear', use_bias: true, ...(inputShape ? { batch_input_shape: [null, ...inputShape] } : {}) },
});
const f32 = (values: number[]) => Buffer.from(new Float32Array(values).buffer).toString('base64');

describe('bad input along the lifecycle', () => {
  let server: ServerProcess;
  let owner: Awaited<ReturnType<typeof ownerSession>>;
  let notebookId: string;
  let versionId: string;
  before(async () => {
    server = await startServerProcess({ db: 'pglite' });
    owner = await ownerSession(server);
    notebookId = (await owner.api.post('/api/notebooks', { name: 'Bad inputs' })).json.id;
  });
  after(async () => server?.dispose());

  test('a cell that throws shows the error and the notebook keeps working', async () => {
    const cellId = await writeFirstCell(server.url, notebookId, owner.token, "const x = 1;\nthrow new TypeError('bad feature matrix');");
    const run = await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellId}/run`);
    assert.equal(run.status, 202);
    versionId = run.json.notebookVersionId;
    const cell = await waitForCellOutputs(server.url, notebookId, owner.token);
    const err = cell.outputs.find((o) => o.output_type === 'error');
    assert.ok(err && err.output_type === 'error');
    assert.equal(err.ename, 'TypeError');
    assert.equal(err.evalue, 'bad feature matrix');
    assert.ok(
      err.traceback.some((l) => /\[\d+\] cell "const x = 1;", line 2/.test(l)),
      `the cell is named by its execution count and first line: ${err.traceback.join('\n')}`,
    );
    assert.doesNotMatch(err.traceback.join('\n'), /file:\/\/|\/tmp\/|\/work\/|https?:\/\//, 'no paths or URLs of the worker');
    assert.equal((await owner.api.post(`/api/notebooks/${notebookId}/cells/not-a-cell/run`)).status, 404);
  });

  async function runWithModel(body: Record<string, unknown>) {
    const run = await owner.api.post('/api/kernel/runs', {
      v: 1,
      executionId: crypto.randomUUID(),
      notebookId,
      notebookVersionId: versionId,
      cellId: 'manual',
      sourceHash: 'a'.repeat(64),
    });
    assert.equal(run.status, 201, JSON.stringify(run.json));
    const logged = await owner.api.post(`/api/kernel/runs/${run.json.runId}/model`, { referenceProfile: null, ...body });
    await owner.api.post(`/api/kernel/runs/${run.json.runId}/finish`, { status: 'finished' });
    return { runId: run.json.runId as string, logged };
  }

  const goodModel = {
    topology: { class_name: 'Sequential', config: { name: 's', layers: [dense('d1', 1, [2])] } },
    weights: [
      { name: 'd1/kernel', shape: [2, 1], dtype: 'float32', dataBase64: f32([0.5, -0.25]) },
      { name: 'd1/bias', shape: [1], dtype: 'float32', dataBase64: f32([0.1]) },
    ],
    sampleInput: [[1, 2]],
    sampleOutput: [[0.5 - 0.5 + 0.1]],
  };

  test('weights that do not match their shape are refused when logged', async () => {
    const { logged } = await runWithModel({
      ...goodModel,
      weights: [{ ...goodModel.weights[0], dataBase64: f32([1]) }, goodModel.weights[1]],
    });
    assert.equal(logged.status, 400);
    assert.match(logged.json.error.message, /d1\/kernel: data does not match shape/);
  });

  test('an unsupported layer, a parity failure and corrupt stored bytes: 422, and no version is registered', async () => {
    const lstm = await runWithModel({
      ...goodModel,
      topology: {
        class_name: 'Sequential',
        config: { layers: [dense('d1', 1, [2]), { class_name: 'ConvLSTM2D', config: { name: 'memory' } }] },
      },
    });
    const a = await owner.api.post(`/api/runs/${lstm.runId}/promote`, { modelName: 'm' });
    assert.equal(a.status, 422);
    assert.match(a.json.error.message, /"memory" \(ConvLSTM2D\)/);

    const wrong = await runWithModel({ ...goodModel, sampleOutput: [[42]] });
    const b = await owner.api.post(`/api/runs/${wrong.runId}/promote`, { modelName: 'm' });
    assert.equal(b.status, 422);
    assert.match(b.json.error.message, /differs from the tfjs model/);

    const good = await runWithModel(goodModel);
    const sha = good.logged.json.artifactSha256 as string;
    const dir = join(server.dataDir, 'artifacts', sha.slice(0, 2));
    assert.ok(readdirSync(dir).includes(sha));
    writeFileSync(join(dir, sha), '{"topology": tru');
    const c = await owner.api.post(`/api/runs/${good.runId}/promote`, { modelName: 'm' });
    assert.equal(c.status, 422);
    assert.match(c.json.error.message, /corrupt/);

    assert.deepEqual((await owner.api.get('/api/models')).json.models, []);
    assert.equal((await owner.api.post(`/api/runs/${good.runId}/promote`, { modelName: '' })).status, 400);
  });

  test('a healthy model promotes after all that', async () => {
    const good = await runWithModel(goodModel);
    const promoted = await owner.api.post(`/api/runs/${good.runId}/promote`, { modelName: 'm' });
    assert.equal(promoted.status, 201, JSON.stringify(promoted.json));
    assert.equal(promoted.json.version.version, 1);
    assert.deepEqual(promoted.json.version.signature.inputs, [{ name: 'input', dtype: 'float', shape: ['batch', 2] }]);
  });
});
