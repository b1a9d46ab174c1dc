import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cellsOf, cellToData, createYCell } from '../core/notebook/notebook-doc';
import { CELL_KEYS } from '../core/contracts/notebook-schema';
import type * as Y from 'yjs';
import { connectCollab, eventually } from './helpers/collab-client';
import { ownerSession } from './helpers/scenario';
import { serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';
import { startWorkerProcess, type WorkerProcess } from './helpers/worker-process';

// Background trainings: queued on JetStream, run by any capable worker, outliving every browser.
// A worker killed with -9 mid-training hands the job back and another worker resumes it from its
// last checkpoint; cancel stops one; a job nobody can run is refused with the reason; a job whose
// workers keep dying is marked failed after the delivery limit.

type Owner = Awaited<ReturnType<typeof ownerSession>>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DATA_CELL = `const n = 256;
const xs = tf.randomNormal([n, 8], 0, 1, 'float32', 7);
const ys = xs.sum(1, true).greater(0).cast('float32');
await ferry.logParams({ n });`;
const trainingCell = (epochs: number, pauseMs: number) => `const model = tf.sequential({
  layers: [tf.layers.dense({ inputShape: [8], units: 16, activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
});
model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
await ferry.fit(model, xs, ys, { epochs: ${epochs}, batchSize: 64, verbose: 0, callbacks: { onEpochEnd: () => new Promise((r) => setTimeout(r, ${pauseMs})) } });
console.log('training done');`;

/** A notebook whose first cell makes the data and whose second trains on it; returns the training cell's id. */
async function trainingNotebook(
  server: ServerProcess,
  owner: Owner,
  name: string,
  training: string,
): Promise<{ notebookId: string; cellId: string }> {
  const notebookId = (await owner.api.post('/api/notebooks', { workspaceId: owner.workspaceId, name })).json.id as string;
  const client = connectCollab(server.url, notebookId, owner.token);
  await client.synced();
  const cells = cellsOf(client.doc);
  client.doc.transact(() => {
    (cells.get(0).get(CELL_KEYS.source) as Y.Text).insert(0, DATA_CELL);
    cells.push([createYCell({ cell_type: 'code', source: training })]);
  });
  const cellId = String(cells.get(1).get(CELL_KEYS.id));
  const check = connectCollab(server.url, notebookId, owner.token);
  await eventually(
    async () => {
      await check.synced();
      return cellsOf(check.doc).length === 2;
    },
    10_000,
    'the cells to reach the server',
  );
  check.destroy();
  client.destroy();
  return { notebookId, cellId };
}

async function training(owner: Owner, id: string): Promise<Json> {
  return (await owner.api.get(`/api/trainings/${id}`)).json;
}

describe('background trainings on the embedded defaults', () => {
  let server: ServerProcess;
  let owner: Owner;
  before(async () => {
    server = await startServerProcess({ db: 'pglite', nats: false });
    owner = await ownerSession(server);
  });
  after(async () => server?.dispose());

  test('runs to the end with progress, checkpoints and one run; cancel stops another; an impossible one is refused', async () => {
    const { notebookId, cellId } = await trainingNotebook(server, owner, 'embedded training', trainingCell(6, 0));
    const gpu = await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellId}/train`, { requirements: { gpu: true } });
    assert.equal(gpu.status, 409);
    assert.match(gpu.json.error.message, /no connected worker has a GPU; the fleet: embedded-.* \(.*no GPU, labels: embedded\)/);
    assert.equal((await owner.api.post(`/api/notebooks/${notebookId}/cells/nope/train`, {})).status, 404);

    const queued = await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellId}/train`, {});
    assert.equal(queued.status, 202, JSON.stringify(queued.json));
    const id = queued.json.id as string;
    await eventually(async () => (await training(owner, id)).status === 'succeeded', 120_000, 'the training to finish').catch(
      async (e: unknown) => {
        throw new Error(`${(e as Error).message}: ${JSON.stringify(await training(owner, id))}`);
      },
    );
    const done = await training(owner, id);
    assert.deepEqual([done.progress.epoch, done.progress.epochs], [6, 6]);
    assert.equal(done.checkpoint.epoch, 6);
    assert.equal(done.attempts, 1);
    assert.match(done.log, /epoch 6\/6/);
    assert.match(done.log, /training done/);
    assert.ok(done.runId, 'the training has its run');
    const loss = (await owner.api.get(`/api/runs/${done.runId}/metrics?key=loss`)).json;
    assert.deepEqual(
      (loss.points as Json[]).map((m) => m.step),
      [0, 1, 2, 3, 4, 5],
    );
    const listed = (await owner.api.get(`/api/trainings?notebookId=${notebookId}`)).json.trainings as Json[];
    assert.equal(listed[0]!.id, id);

    const slow = await trainingNotebook(server, owner, 'to cancel', trainingCell(200, 200));
    const second = (await owner.api.post(`/api/notebooks/${slow.notebookId}/cells/${slow.cellId}/train`, {})).json.id as string;
    await eventually(
      async () => ((await training(owner, second)).progress?.epoch ?? 0) >= 2,
      60_000,
      'the second training to be under way',
    );
    assert.equal((await owner.api.post(`/api/trainings/${second}/cancel`)).status, 200);
    await eventually(async () => (await training(owner, second)).status === 'cancelled', 30_000, 'the cancel');
    assert.equal((await owner.api.post(`/api/trainings/${second}/cancel`)).status, 409, 'an ended training cannot be cancelled');
  });
});

describe('background trainings across workers (PostgreSQL + NATS)', () => {
  let server: ServerProcess;
  let owner: Owner;
  let skip: string | null = null;
  const workers: WorkerProcess[] = [];
  const workerEnv = { FERRY_TRAINING_ACK_WAIT_MS: '3000', FERRY_TRAINING_MAX_DELIVER: '2' };
  before(async () => {
    skip = await serverSkipReason({ db: 'postgres', nats: true });
    if (skip) return;
    server = await startServerProcess({ db: 'postgres', nats: true, env: { FERRY_EMBEDDED_WORKERS: '0' } });
    owner = await ownerSession(server);
  });
  after(async () => {
    for (const w of workers) await w.kill('SIGKILL');
    await server?.dispose();
  });

  test('kill -9 the worker mid-training: another worker resumes from the last checkpoint and finishes', async (c) => {
    if (skip) return c.skip(skip);
    let labelledId = '';
    const suffix = Math.random().toString(36).slice(2, 7);
    workers.push(await startWorkerProcess(`trainer-a-${suffix}`, workerEnv), await startWorkerProcess(`trainer-b-${suffix}`, workerEnv));
    await eventually(async () => (await owner.api.get('/api/health')).json.workers >= 2, 20_000, 'both workers to join');
    const { notebookId, cellId } = await trainingNotebook(server, owner, 'resumable', trainingCell(24, 250));
    const id = (await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellId}/train`, {})).json.id as string;
    await eventually(async () => ((await training(owner, id)).checkpoint?.epoch ?? 0) >= 5, 90_000, 'five epochs checkpointed');
    const first = await training(owner, id);
    const victim = workers.find((w) => w.id === first.workerId)!;
    assert.ok(victim, `the training runs on one of our workers (${first.workerId})`);
    await victim.kill('SIGKILL');
    await eventually(async () => (await training(owner, id)).status === 'succeeded', 120_000, 'the training to finish elsewhere').catch(
      async (e: unknown) => {
        throw new Error(`${(e as Error).message}: ${JSON.stringify(await training(owner, id))}`);
      },
    );
    const done = await training(owner, id);
    assert.equal(done.attempts, 2);
    assert.notEqual(done.workerId, victim.id);
    const resumedFrom = Number(done.log.match(/resumed from the checkpoint after epoch (\d+) of 24 \(weights and optimizer state\)/)?.[1]);
    assert.ok(resumedFrom >= 5, `resumed from a checkpoint (log: …${done.log.slice(-400)})`);
    assert.ok(!/epoch 1\/24/.test(done.log.split('--- attempt 2')[1] ?? ''), 'the second attempt did not start over');
    assert.equal(done.progress.epoch, 24);
    const runs = (await owner.api.get(`/api/runs?notebookId=${notebookId}`)).json.runs as Json[];
    assert.equal(runs.length, 1, 'the data cell and the training cell, over both attempts, logged into one run');
    assert.equal(runs[0]!.params.n, '256');
    assert.equal(runs.find((r) => r.id === done.runId)!.status, 'finished', 'both attempts logged into one run, finished');

    // A label routes the job to the worker that has it, never to the one without.
    const labelled = await startWorkerProcess(`trainer-c-${suffix}`, { ...workerEnv, FERRY_WORKER_LABELS: `big-${suffix}` });
    workers.push(labelled);
    await eventually(
      async () =>
        (await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellId}/train`, { requirements: { label: 'nobody-has-this' } }))
          .status === 409,
      5_000,
      'an unknown label to be refused',
    );
    await eventually(
      async () => {
        const res = await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellId}/train`, {
          requirements: { label: `big-${suffix}` },
        });
        if (res.status !== 202) return false;
        labelledId = res.json.id as string;
        return true;
      },
      20_000,
      'the labelled worker to be known',
    );
    await eventually(async () => (await training(owner, labelledId)).status === 'succeeded', 120_000, 'the labelled training');
    const detail = await training(owner, labelledId);
    assert.equal(
      detail.workerId,
      labelled.id,
      `${JSON.stringify({ ...detail, log: detail.log.slice(0, 100) })}\n${workers.map((w) => `== ${w.id}\n${w.logs().slice(-1500)}`).join('\n')}`,
    );
  });

  test('a training whose workers keep dying is marked failed after the delivery limit, with the reason', async (c) => {
    if (skip) return c.skip(skip);
    for (const w of workers.splice(0)) await w.kill('SIGKILL');
    const suffix = Math.random().toString(36).slice(2, 7);
    const label = `doomed-${suffix}`;
    workers.push(await startWorkerProcess(`doomed-a-${suffix}`, { ...workerEnv, FERRY_WORKER_LABELS: label }));
    await eventually(async () => (await owner.api.get('/api/health')).json.workers >= 1, 20_000, 'a worker');
    // Every worker that takes this training dies while it runs. A kernel cannot kill its worker (the
    // sandbox hides the worker's process from it), so the test kills each one once it has started.
    const { notebookId, cellId } = await trainingNotebook(server, owner, 'doomed', 'await new Promise((r) => setTimeout(r, 60_000));');
    const id = (await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellId}/train`, { requirements: { label } })).json.id as string;
    for (let round = 1; round <= 2; round++) {
      const current = workers[workers.length - 1]!;
      await eventually(
        async () => {
          const t = await training(owner, id);
          return t.status === 'running' && t.workerId === current.id && t.attempts === round;
        },
        60_000,
        `worker ${round} to run the training`,
      );
      await current.kill('SIGKILL');
      workers.push(await startWorkerProcess(`doomed-${round}-${suffix}`, { ...workerEnv, FERRY_WORKER_LABELS: label }));
    }
    await eventually(async () => (await training(owner, id)).status === 'failed', 60_000, 'the training to be given up').catch(
      async (e: unknown) => {
        throw new Error(`${(e as Error).message}: ${JSON.stringify(await training(owner, id))}`);
      },
    );
    assert.match((await training(owner, id)).error, /delivered 2 times and each time the worker running it stopped before it finished/);
  });
  test('a worker killed with -9 mid-cell: the cell says its kernel died and the next run goes to another worker', async (c) => {
    if (skip) return c.skip(skip);
    for (const w of workers.splice(0)) await w.kill('SIGKILL');
    const suffix = Math.random().toString(36).slice(2, 7);
    workers.push(await startWorkerProcess(`cells-x-${suffix}`, workerEnv), await startWorkerProcess(`cells-y-${suffix}`, workerEnv));
    const notebookId = (await owner.api.post('/api/notebooks', { workspaceId: owner.workspaceId, name: 'lost cell' })).json.id as string;
    const client = connectCollab(server.url, notebookId, owner.token);
    await client.synced();
    (cellsOf(client.doc).get(0).get(CELL_KEYS.source) as Y.Text).insert(
      0,
      "console.log('started');\nawait new Promise((r) => setTimeout(r, 60_000));",
    );
    const cellId = String(cellsOf(client.doc).get(0).get(CELL_KEYS.id));
    let first: Json = {};
    await eventually(
      async () => {
        first = await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellId}/run`);
        return first.status === 202;
      },
      20_000,
      'the run to be accepted',
    );
    const holder = workers.find((w) => w.id === first.json.workerId);
    assert.ok(holder, `the kernel is on one of our workers: ${first.json.workerId}`);
    const executions = async () => (await owner.api.get(`/api/notebooks/${notebookId}/executions`)).json.executions as Json[];
    await eventually(
      async () => (await executions()).some((e) => e.executionId === first.json.executionId && e.status === 'running'),
      30_000,
      'the cell to run',
    );
    await holder.kill('SIGKILL');
    await eventually(
      async () => (await executions()).find((e) => e.executionId === first.json.executionId)?.status === 'kernel-died',
      30_000,
      'the loss to be reported',
    );
    await eventually(
      () => {
        const outputs = cellToData(cellsOf(client.doc).get(0)).outputs;
        return outputs.some((o) => o.output_type === 'error' && o.ename === 'KernelDied' && o.evalue.includes(holder.id));
      },
      10_000,
      'the kernel-died output in the shared notebook',
    );
    assert.equal(cellToData(cellsOf(client.doc).get(0)).execution_state, 'idle');
    const again = await owner.api.post(`/api/notebooks/${notebookId}/cells/${cellId}/run`);
    assert.equal(again.status, 202, JSON.stringify(again.json));
    assert.notEqual(again.json.workerId, holder.id);
    client.destroy();
  });
});
