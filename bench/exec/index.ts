import { spawnSync } from 'node:child_process';
import type * as Y from 'yjs';
import { CELL_KEYS } from '../../core/contracts/notebook-schema';
import { cellsOf, cellToData } from '../../core/notebook/notebook-doc';
import { connectCollab, eventually, type CollabClient } from '../../test/helpers/collab-client';
import { writeFirstCell } from '../../test/helpers/lifecycle';
import { ownerSession } from '../../test/helpers/scenario';
import { natsTestUrl, postgresAdminUrl, requireService } from '../../test/helpers/services';
import { startServerProcess, type ServerProcess } from '../../test/helpers/server';
import { startWorkerProcess, type WorkerProcess } from '../../test/helpers/worker-process';
import { printTable, summarize, type BenchRow } from '../table';

// `npm run bench -- exec`: Ferry's execution path beside Jupyter's and PyTorch's in one run.
//   - run request → first output of a trivial cell, p50/p99: Ferry (HTTP → notebook version → bus →
//     worker → kernel → output in the shared document, seen by a collaboration client) vs an IPython
//     kernel driven by jupyter_client (execute → first iopub output)
//   - trivial cells per second through 4 workers (PostgreSQL + NATS, 4 `npm run worker` processes)
//     vs 4 IPython kernels
//   - training throughput of an MLP 64-128-64-1, batch 256, Adam, MSE: a Ferry kernel cell
//     (TensorFlow.js on the best backend present) vs PyTorch on CPU
// The peers run under Debian's /usr/bin/python3 (python3-ipykernel, python3-jupyter-client,
// python3-torch); without them their column says so.

const PYTHON = '/usr/bin/python3';
const REPEAT = Number(process.env.FERRY_BENCH_REPEAT ?? 50);
const JOBS = Number(process.env.FERRY_BENCH_JOBS ?? 200);
const SAMPLES = 16384;
const EPOCHS = 3;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function python(script: string, args: string[]): Json | string {
  const res = spawnSync(PYTHON, [script, ...args], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
  });
  if (res.status !== 0) return (res.stderr || res.error?.message || 'failed').split('\n').filter(Boolean).slice(-1)[0] ?? 'failed';
  try {
    return JSON.parse(res.stdout.trim().split('\n').pop()!) as Json;
  } catch {
    return `unreadable output: ${res.stdout.slice(0, 200)}`;
  }
}

/** Writes the notebook's first cell through the shared test helper, then opens a client to watch it. */
async function setCell(
  server: ServerProcess,
  notebookId: string,
  token: string,
  source: string,
): Promise<{ client: CollabClient; cellId: string }> {
  const cellId = await writeFirstCell(server.url, notebookId, token, source);
  const client = connectCollab(server.url, notebookId, token);
  await client.synced();
  return { client, cellId };
}

/** Runs the cell and resolves when a new first output appears in the client's copy of the document. */
function runAndWaitForOutput(
  server: ServerProcess,
  owner: { token: string },
  notebookId: string,
  client: CollabClient,
  cellId: string,
): Promise<number> {
  const outputs = () => cellsOf(client.doc).get(0).get(CELL_KEYS.outputs) as Y.Array<Y.Map<unknown>>;
  const before = outputs().length > 0 ? outputs().get(0) : null;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const onChange = () => {
      const list = outputs();
      if (list.length > 0 && list.get(0) !== before) {
        client.doc.off('update', onChange);
        resolve(performance.now() - t0);
      }
    };
    client.doc.on('update', onChange);
    fetch(`${server.url}/api/notebooks/${notebookId}/cells/${cellId}/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}` },
    })
      .then((r) => (r.status === 202 ? undefined : r.text().then((t) => reject(new Error(`run failed: ${r.status} ${t}`)))))
      .catch(reject);
  });
}

async function waitIdle(client: CollabClient) {
  await eventually(() => cellToData(cellsOf(client.doc).get(0)).execution_state === 'idle', 60_000, 'the cell to finish');
}

async function firstOutputAndTraining(): Promise<{ latencies: number[]; training: Json }> {
  const server = await startServerProcess({ db: 'pglite' });
  try {
    const owner = await ownerSession(server);
    const notebookId = (await owner.api.post('/api/notebooks', { name: 'exec bench' })).json.id as string;
    const { client, cellId } = await setCell(server, notebookId, owner.token, "console.log('hi')");
    for (let i = 0; i < 5; i++) {
      await runAndWaitForOutput(server, owner, notebookId, client, cellId);
      await waitIdle(client);
    }
    const latencies: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      latencies.push(await runAndWaitForOutput(server, owner, notebookId, client, cellId));
      await waitIdle(client);
    }
    client.destroy();

    const trainingCode = `const N = ${SAMPLES};
const x = tf.randomNormal([N, 64]);
const y = x.slice([0, 0], [N, 8]).sum(1, true);
const model = tf.sequential({ layers: [
  tf.layers.dense({ inputShape: [64], units: 128, activation: 'relu' }),
  tf.layers.dense({ units: 64, activation: 'relu' }),
  tf.layers.dense({ units: 1 }),
] });
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
await model.fit(x, y, { epochs: 1, batchSize: 256, shuffle: true, verbose: 0 });
const t0 = performance.now();
await model.fit(x, y, { epochs: ${EPOCHS}, batchSize: 256, shuffle: true, verbose: 0 });
console.log(JSON.stringify({ samplesPerS: (N * ${EPOCHS}) / ((performance.now() - t0) / 1000), backend: tf.getBackend() }));`;
    const training = await setCell(server, notebookId, owner.token, trainingCode);
    await runAndWaitForOutput(server, owner, notebookId, training.client, training.cellId);
    await waitIdle(training.client);
    const out = cellToData(cellsOf(training.client.doc).get(0)).outputs;
    training.client.destroy();
    const text = out
      .map((o) => (o.output_type === 'stream' ? o.text : o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : ''))
      .join('');
    const line = text.split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`the training cell printed no result: ${text.slice(0, 300)}`);
    return { latencies, training: JSON.parse(line) as Json };
  } finally {
    await server.dispose();
  }
}

async function jobsThroughFourWorkers(): Promise<{ jobsPerS: number } | string> {
  const skip = (await requireService('PostgreSQL', postgresAdminUrl())) ?? (await requireService('NATS', natsTestUrl()));
  if (skip) return `needs PostgreSQL and NATS: ${skip}`;
  const server = await startServerProcess({ db: 'postgres', nats: true, env: { FERRY_EMBEDDED_WORKERS: '0' } });
  const workers: WorkerProcess[] = [];
  try {
    const suffix = Math.random().toString(36).slice(2, 6);
    for (let i = 0; i < 4; i++) workers.push(await startWorkerProcess(`bench-${suffix}-${i}`, { FERRY_WORKER_KERNELS: '1' }));
    const owner = await ownerSession(server);
    await eventually(async () => (await owner.api.get('/api/health')).json.workers >= 4, 30_000, 'four workers');
    const notebooks: Array<{ id: string; cellId: string }> = [];
    for (let i = 0; i < 4; i++) {
      const id = (await owner.api.post('/api/notebooks', { name: `jobs ${i}` })).json.id as string;
      const { client, cellId } = await setCell(server, id, owner.token, 'const x = 1 + 1;\nx');
      client.destroy();
      // One kernel slot per worker: each notebook's kernel lands on its own worker.
      const first = await owner.api.post(`/api/notebooks/${id}/cells/${cellId}/run`);
      if (first.status !== 202) throw new Error(`warm-up run failed: ${JSON.stringify(first.json)}`);
      notebooks.push({ id, cellId });
    }
    const done = async () => {
      let ok = 0;
      for (const nb of notebooks)
        ok += ((await owner.api.get(`/api/notebooks/${nb.id}/executions`)).json.executions as Json[]).filter(
          (e) => e.status === 'ok',
        ).length;
      return ok;
    };
    await eventually(async () => (await done()) === 4, 120_000, 'the kernels to warm up');
    const t0 = performance.now();
    const requests = Array.from({ length: JOBS }, (_, i) => notebooks[i % 4]!);
    for (let i = 0; i < requests.length; i += 8)
      await Promise.all(requests.slice(i, i + 8).map((nb) => owner.api.post(`/api/notebooks/${nb.id}/cells/${nb.cellId}/run`)));
    await eventually(async () => (await done()) >= JOBS + 4, 300_000, 'every job to finish');
    return { jobsPerS: JOBS / ((performance.now() - t0) / 1000) };
  } finally {
    for (const w of workers) await w.kill('SIGKILL');
    await server.dispose();
  }
}

export async function run(): Promise<void> {
  process.stderr.write(`exec: ${REPEAT} trivial runs and an MLP training on Ferry (PGlite, embedded worker)…\n`);
  const ferry = await firstOutputAndTraining();
  process.stderr.write(`exec: ${JOBS} trivial cells through 4 workers (PostgreSQL + NATS)…\n`);
  const jobs = await jobsThroughFourWorkers().catch((e: unknown) => `failed: ${(e as Error).message}`);
  process.stderr.write('exec: the peers (jupyter_client + IPython, PyTorch)…\n');
  const ipython = python('bench/peers/ipython_exec.py', [String(REPEAT), String(JOBS)]);
  const torch = python('bench/peers/torch_mlp.py', [String(SAMPLES), String(EPOCHS)]);

  const f = summarize(ferry.latencies);
  const ip = typeof ipython === 'string' ? null : summarize(ipython.latencies_ms as number[]);
  const ipNote = typeof ipython === 'string' ? `IPython: ${ipython} (apt-get install python3-ipykernel python3-jupyter-client)` : undefined;
  const rows: BenchRow[] = [
    {
      metric: 'run → first output, trivial cell, p50',
      unit: 'ms',
      ferry: f.p50,
      reference: ip?.p50 ?? null,
      referenceName: 'IPython via jupyter_client',
      better: 'lower',
      note: ipNote ?? 'Ferry: HTTP + version + bus + kernel + shared doc',
    },
    {
      metric: 'run → first output, trivial cell, p99',
      unit: 'ms',
      ferry: f.p99,
      reference: ip?.p99 ?? null,
      referenceName: 'IPython via jupyter_client',
      better: 'lower',
    },
    {
      metric: 'trivial cells through 4 workers',
      unit: 'jobs/s',
      ferry: typeof jobs === 'string' ? null : jobs.jobsPerS,
      reference: typeof ipython === 'string' ? null : (ipython.jobs as number) / (ipython.jobs_seconds as number),
      referenceName: '4 IPython kernels',
      better: 'higher',
      note: typeof jobs === 'string' ? jobs : `${JOBS} run requests over HTTP, 8 in flight`,
    },
    {
      metric: 'MLP 64-128-64-1 training, batch 256',
      unit: 'samples/s',
      ferry: ferry.training.samplesPerS as number,
      reference: typeof torch === 'string' ? null : (torch.samples_per_s as number),
      referenceName: 'PyTorch CPU',
      better: 'higher',
      note: `Ferry backend: ${ferry.training.backend as string}${typeof torch === 'string' ? `; PyTorch: ${torch}` : `; torch threads: ${torch.threads as number}`}`,
    },
  ];
  printTable(`exec (${REPEAT} runs, ${JOBS} jobs, ${SAMPLES} samples × ${EPOCHS} epochs)`, rows);
}
