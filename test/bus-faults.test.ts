import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from './helpers/collab-client';
import { waitForCellOutputs, writeFirstCell } from './helpers/lifecycle';
import { privateNatsSkipReason, startPrivateNats, type PrivateNats } from './helpers/nats-server';
import { ownerSession } from './helpers/scenario';
import { apiClient, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';

// NATS restarted while a cell runs: the cell ends with its real status and output (not "kernel died"),
// /api/health says the bus is down meanwhile (503 + Retry-After) and writes that need the bus answer
// 503, and the server and its worker carry on after NATS returns without being restarted.

const CELL = `await new Promise((resolve) => setTimeout(resolve, 8000));
console.log('finished after the outage');
6 * 7`;

describe('a NATS restart during a running cell (PostgreSQL + NATS)', () => {
  let server: ServerProcess;
  let nats: PrivateNats;
  let skip: string | null = null;
  before(async () => {
    skip = (await serverSkipReason({ db: 'postgres' })) ?? privateNatsSkipReason();
    if (skip) return;
    nats = await startPrivateNats();
    server = await startServerProcess({ db: 'postgres', nats: true, env: { NATS_URL: nats.url } });
  });
  after(async () => {
    if (process.env.FERRY_TEST_LOGS) console.log(server?.logs().slice(-6000));
    await server?.dispose();
    await nats?.dispose();
  });

  test('the cell ends with its real status; health and writes say 503 while the bus is away; all recovers', async (c) => {
    if (skip) return c.skip(skip);
    const owner = await ownerSession(server);
    const api = apiClient(server.url, { token: owner.token });
    await eventually(async () => (await api.get('/api/health')).json.workers >= 1, 30_000, 'the embedded worker to join');
    const notebookId = (await api.post('/api/notebooks', { name: 'outage' })).json.id as string;
    const cellId = await writeFirstCell(server.url, notebookId, owner.token, CELL);
    const run = await api.post(`/api/notebooks/${notebookId}/cells/${cellId}/run`, {});
    assert.equal(run.status, 202, JSON.stringify(run.json));
    await eventually(
      async () => {
        const queue = (await api.get(`/api/notebooks/${notebookId}/executions`)).json.executions as Array<{ status: string }>;
        return queue[0]?.status === 'running';
      },
      60_000,
      'the cell to start',
    );

    await nats.kill();
    await eventually(async () => (await api.get('/api/health')).status === 503, 10_000, 'health to report the bus down');
    const health = await api.get('/api/health');
    assert.equal(health.json.checks.bus, 'down');
    assert.equal(health.json.checks.db, 'up');
    assert.ok(health.headers.get('retry-after'), 'a 503 says when to retry');
    const refused = await api.post(`/api/notebooks/${notebookId}/cells/${cellId}/run`, {});
    assert.equal(refused.status, 503, `a run while the bus is away: ${JSON.stringify(refused.json)}`);
    // Longer than the registry's 10 s heartbeat timeout, which would call the worker (and its cell)
    // dead if it counted this silence; the cell finishes while the bus is still away.
    await new Promise((r) => setTimeout(r, 12_000));
    await nats.start();

    const cell = await waitForCellOutputs(server.url, notebookId, owner.token, 60_000).catch(async (error: unknown) => {
      const queue = (await api.get(`/api/notebooks/${notebookId}/executions`)).json;
      throw new Error(`${(error as Error).message}; the queue says ${JSON.stringify(queue)}`);
    });
    const texts = cell.outputs.map((o) => JSON.stringify(o)).join('\n');
    assert.doesNotMatch(texts, /KernelDied/, texts);
    assert.match(texts, /finished after the outage/);
    assert.match(texts, /42/);
    await eventually(
      async () => {
        const queue = (await api.get(`/api/notebooks/${notebookId}/executions`)).json.executions as Array<{
          executionId: string;
          status: string;
        }>;
        return queue.find((e) => e.executionId === run.json.executionId)?.status === 'ok';
      },
      30_000,
      'the execution to be recorded as ok',
    );
    await eventually(async () => (await api.get('/api/health')).status === 200, 15_000, 'health to recover');

    // The same server and worker run the next cell: nothing needed a restart.
    const again = await api.post(`/api/notebooks/${notebookId}/cells/${cellId}/run`, {});
    assert.equal(again.status, 202, JSON.stringify(again.json));
    await eventually(
      async () => {
        const queue = (await api.get(`/api/notebooks/${notebookId}/executions`)).json.executions as Array<{
          executionId: string;
          status: string;
        }>;
        return queue.find((e) => e.executionId === again.json.executionId)?.status === 'ok';
      },
      60_000,
      'a cell after the outage to run',
    );
  });
});
