import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { ownerSession } from './helpers/scenario';
import { apiClient, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';

// One request must not stall everyone: files whose parsing cost the caller chooses (a CSV with 100k
// columns, an .ipynb with 20k cells) are read on worker threads while /api/health keeps answering;
// uploads are authorized before their body is read; NUL bytes, malformed ids and over-deep JSON are
// the caller's 400, never a 500, and store nothing.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Polls /api/health every 20 ms while `work` runs; returns every answer's time and the work's result. */
async function healthDuring<T>(url: string, work: () => Promise<T>): Promise<{ times: number[]; result: T }> {
  let done = false;
  const times: number[] = [];
  let failure: unknown;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      times.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })().catch((error: unknown) => (failure = error));
  const result = await work().finally(() => (done = true));
  await poller;
  if (failure) throw new Error(`a health check failed during the work: ${String((failure as Error).cause ?? failure)}`);
  return { times, result };
}

/**
 * A request thread blocked by the work shows as seconds-long answers; a thread that stays free
 * answers within 100 ms of its usual time. One answer in twenty may still be late for reasons of
 * the machine (two cores shared with the work's own thread and the test).
 */
function assertNotDelayed(times: number[], baseline: number, what: string) {
  assert.ok(times.length >= 3, `health was asked ${times.length} times during ${what}`);
  const sorted = [...times].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
  const max = sorted.at(-1)!;
  const summary = `${times.length} answers, p95 ${p95.toFixed(0)} ms, max ${max.toFixed(0)} ms (baseline p90 ${baseline.toFixed(0)} ms)`;
  assert.ok(p95 < baseline + 100, `health was delayed during ${what}: ${summary}`);
  assert.ok(max < baseline + 1000, `one health answer waited on ${what}: ${summary}`);
  return summary;
}

async function baselineHealthMs(url: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await (await fetch(`${url}/api/health`)).arrayBuffer();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length * 0.9)]!;
}

function wideCsv(columns: number, rows: number): string {
  const header = Array.from({ length: columns }, (_, j) => `c${j}`).join(',');
  const lines = Array.from({ length: rows }, (_, i) => Array.from({ length: columns }, (_, j) => (i * 7 + j) % 13).join(','));
  return `${header}\n${lines.join('\n')}\n`;
}

function bigIpynb(cells: number): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: Array.from({ length: cells }, (_, i) => ({
      id: `cell-${i}`,
      cell_type: i % 5 === 0 ? 'markdown' : 'code',
      metadata: {},
      source: [`# cell ${i}\n`, `x_${i} = ${i} * 2\n`],
      ...(i % 5 === 0 ? {} : { outputs: [{ output_type: 'stream', name: 'stdout', text: [`${i}\n`] }], execution_count: i }),
    })),
  });
}

describe('bounded work (embedded)', () => {
  let server: ServerProcess;
  let skip: string | null = null;
  before(async () => {
    skip = await serverSkipReason({ db: 'pglite' });
    if (!skip) server = await startServerProcess({ db: 'pglite' });
  });
  after(async () => server?.dispose());
  afterEach((c) => {
    if (server && 'passed' in c && c.passed === false) console.log(server.logs().slice(-4000));
  });

  test('a 100k-column CSV and a 20k-cell .ipynb are read off the request thread: /api/health stays within 100 ms', async (c) => {
    if (skip) return c.skip(skip);
    const owner = await ownerSession(server);
    const baseline = await baselineHealthMs(server.url);

    const csv = wideCsv(100_000, 5);
    const upload = await healthDuring(server.url, () =>
      owner.api.raw('POST', `/api/datasets/upload?workspaceId=${owner.workspaceId}&name=wide&format=csv`, csv, {
        'content-type': 'text/csv',
      }),
    );
    // Read on a worker thread, then refused: its per-column profile alone would be 24 MB.
    assert.equal(upload.result.status, 400, JSON.stringify(upload.result.json).slice(0, 500));
    assert.match((upload.result.json as Json).error.message, /100000 columns; a dataset may have at most 10000/);
    const duringCsv = assertNotDelayed(upload.times, baseline, 'the CSV upload');

    const ipynb = bigIpynb(20_000);
    const imported = await healthDuring(server.url, () =>
      owner.api.post('/api/notebooks/import', { workspaceId: owner.workspaceId, name: 'huge', ipynb }),
    );
    assert.equal(imported.result.status, 201, JSON.stringify(imported.result.json).slice(0, 500));
    assert.equal((imported.result.json as Json).cells, 20_000);
    const duringImport = assertNotDelayed(imported.times, baseline, 'the import');
    c.diagnostic(`during the CSV upload: ${duringCsv}; during the import: ${duringImport}`);
  });

  test('uploads are authorized before their body is read; a file that is not a dataset stores nothing', async (c) => {
    if (skip) return c.skip(skip);
    // 8 MB that no one should have to receive: anonymous and foreign-workspace callers are refused first.
    const big = 'a,b\n' + '1,2\n'.repeat(2_000_000);
    const csvHeaders = { 'content-type': 'text/csv' };
    const anonymous = await apiClient(server.url).raw(
      'POST',
      `/api/datasets/upload?workspaceId=${crypto.randomUUID()}&name=x&format=csv`,
      big,
      csvHeaders,
    );
    assert.equal(anonymous.status, 401);
    const api = apiClient(server.url);
    assert.equal((await api.post('/api/auth/sign-in', { email: 'owner@example.test', password: 'owner-password' })).status, 200);
    const foreign = await api.raw('POST', `/api/datasets/upload?workspaceId=${crypto.randomUUID()}&name=x&format=csv`, big, csvHeaders);
    assert.equal(foreign.status, 404, JSON.stringify(foreign.json));
    const workspaceId = ((await api.get('/api/workspaces')).json.workspaces as Json[])[0]!.id as string;

    const withNul = await api.raw(
      'POST',
      `/api/datasets/upload?workspaceId=${workspaceId}&name=nul&format=csv`,
      'a,b\n1,\u00002\n',
      csvHeaders,
    );
    assert.equal(withNul.status, 400, JSON.stringify(withNul.json));
    assert.match(withNul.json.error.message, /NUL/);
    const listed = (await api.get(`/api/datasets?workspaceId=${workspaceId}`)).json.datasets as Json[];
    assert.equal(
      listed.some((d) => d.name === 'nul'),
      false,
      'no dataset without a version',
    );
  });

  test('NUL bytes, malformed ids and over-deep JSON are 400s and store nothing', async (c) => {
    if (skip) return c.skip(skip);
    const api = apiClient(server.url);
    assert.equal((await api.post('/api/auth/sign-in', { email: 'owner@example.test', password: 'owner-password' })).status, 200);
    const workspaceId = ((await api.get('/api/workspaces')).json.workspaces as Json[])[0]!.id as string;
    const before = ((await api.get(`/api/notebooks?workspaceId=${workspaceId}`)).json.notebooks as Json[]).length;

    const nulName = await api.post('/api/notebooks', { name: 'evil\u0000name', workspaceId });
    assert.equal(nulName.status, 400, JSON.stringify(nulName.json));
    const nulQuery = await api.get(`/api/notebooks?workspaceId=${workspaceId}&q=a%00b`);
    assert.equal(nulQuery.status, 400, JSON.stringify(nulQuery.json));
    const nulWorkspace = await api.post('/api/workspaces', { name: 'team\u0000x' });
    assert.equal(nulWorkspace.status, 400, JSON.stringify(nulWorkspace.json));

    // Written as text: JSON.stringify itself overflows on a value this deep.
    const deep = `${'['.repeat(20_000)}1${']'.repeat(20_000)}`;
    const deepBody = await api.post(
      '/api/models/upload',
      `{"workspaceId":"${workspaceId}","modelName":"deep","onnxBase64":"AAAA","sampleInput":${deep}}`,
    );
    assert.equal(deepBody.status, 400, JSON.stringify(deepBody.json).slice(0, 300));
    assert.match(deepBody.json.error.message, /deeper than/);

    const notUuid = 'r'.repeat(36);
    const token = (await api.post('/api/tokens', { name: 'mlflow' })).json.token as string;
    const mlflow = await apiClient(server.url, { token }).get(`/api/2.0/mlflow/runs/get?run_id=${notUuid}`);
    assert.ok(
      mlflow.status === 400 || mlflow.status === 404,
      `MLflow runs/get with a malformed id answered ${mlflow.status}: ${JSON.stringify(mlflow.json)}`,
    );
    assert.ok(
      ['INVALID_PARAMETER_VALUE', 'RESOURCE_DOES_NOT_EXIST'].includes(mlflow.json.error_code as string),
      JSON.stringify(mlflow.json),
    );
    const nulMlflow = await apiClient(server.url, { token }).post('/api/2.0/mlflow/experiments/create', { name: 'exp\u0000' });
    assert.equal(nulMlflow.status, 400, JSON.stringify(nulMlflow.json));
    const badRun = await api.get(`/api/runs/${notUuid}`);
    assert.equal(badRun.status, 400, JSON.stringify(badRun.json));

    const after = ((await api.get(`/api/notebooks?workspaceId=${workspaceId}`)).json.notebooks as Json[]).length;
    assert.equal(after, before, 'nothing was created');
  });
});
