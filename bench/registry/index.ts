import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { ownerSession } from '../../test/helpers/scenario';
import { requireService, postgresAdminUrl } from '../../test/helpers/services';
import { startServerProcess } from '../../test/helpers/server';
import { printTable, summarize, type BenchRow } from '../table';

// `npm run bench -- registry`, on PostgreSQL: the tracking paths where MLflow users hurt, each beside
// the same operation written as plain SQL against the same data in the same run.
//   - log-batch of 1000 metric points through the MLflow API vs one multi-row INSERT
//   - run search (param filter + metric sort) over RUNS runs × 5 metrics × 100 steps, first and deep
//     page, vs a plain JOIN … ORDER BY … LIMIT/OFFSET
//   - a chart of 10 runs × 10,000 steps, downsampled on the server vs selecting every point

const RUNS = Number(process.env.FERRY_BENCH_RUNS ?? 100_000);
const STEPS = 100;
const METRICS = 5;
const REPEAT = Number(process.env.FERRY_BENCH_REPEAT ?? 50);
const PAGE = 100;
const DEEP_PAGE = Number(process.env.FERRY_BENCH_DEEP_PAGE ?? 50);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const result = await fn();
  return [performance.now() - t, result];
}

async function populate(client: pg.Client, experimentId: string, workspaceId: string, userId: string) {
  const started = Date.now();
  // Bulk load without the history index, then build it once: how a migration would load it too.
  await client.query('drop index if exists run_metrics_run_key_step_idx');
  await client.query(
    `insert into runs (id, experiment_id, workspace_id, name, status, started_at, ended_at, created_by)
     select gen_random_uuid(), $1, $2, 'run-' || g, 'finished', now() - make_interval(secs => g), now(), $3 from generate_series(1, $4) g`,
    [experimentId, workspaceId, userId, RUNS],
  );
  await client.query(
    `insert into run_params (run_id, key, value)
     select id, 'model', (array['mlp','cnn','tree','gbm'])[1 + abs(hashtext(id::text)) % 4] from runs where experiment_id = $1
     union all select id, 'lr', (array['0.1','0.01','0.001'])[1 + abs(hashtext(id::text || 'lr')) % 3] from runs where experiment_id = $1`,
    [experimentId],
  );
  await client.query(
    `insert into run_metrics (run_id, key, step, timestamp, value)
     select r.id, 'm' || k, s, 1700000000000 + s, random() from runs r, generate_series(0, $2 - 1) k, generate_series(0, $3 - 1) s where r.experiment_id = $1`,
    [experimentId, METRICS, STEPS],
  );
  await client.query(
    `insert into run_latest_metrics (run_id, key, value, step, timestamp)
     select run_id, key, value, step, timestamp from run_metrics m join runs r on r.id = m.run_id where r.experiment_id = $1 and m.step = $2 - 1`,
    [experimentId, STEPS],
  );
  await client.query('create index run_metrics_run_key_step_idx on run_metrics (run_id, key, step)');
  await client.query('analyze');
  return (Date.now() - started) / 1000;
}

export async function run(): Promise<void> {
  const skip = await requireService('PostgreSQL', postgresAdminUrl());
  if (skip) {
    console.log(`bench registry needs PostgreSQL: ${skip}`);
    return;
  }
  if (!existsSync('.next/BUILD_ID') && spawnSync('npm', ['run', 'build'], { stdio: 'inherit' }).status !== 0)
    throw new Error('npm run build failed');
  const server = await startServerProcess({ db: 'postgres' });
  const client = new pg.Client({ connectionString: server.env.DATABASE_URL });
  await client.connect();
  try {
    const owner = await ownerSession(server);
    const api = async (method: string, path: string, body?: unknown): Promise<{ json: Json; bytes: number }> => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
      return { json: JSON.parse(text) as Json, bytes: Buffer.byteLength(text) };
    };
    const experimentId = (await api('POST', '/api/2.0/mlflow/experiments/create', { name: 'bench' })).json.experiment_id as string;
    process.stderr.write(`registry: loading ${RUNS} runs × ${METRICS} metrics × ${STEPS} steps into PostgreSQL…\n`);
    const loadSeconds = await populate(client, experimentId, owner.workspaceId, owner.userId);
    process.stderr.write(`  loaded in ${loadSeconds.toFixed(0)} s\n`);

    // 1. log-batch of 1000 points.
    const target = (await api('POST', '/api/2.0/mlflow/runs/create', { experiment_id: experimentId })).json.run.info.run_id as string;
    const sqlTarget = (await api('POST', '/api/2.0/mlflow/runs/create', { experiment_id: experimentId })).json.run.info.run_id as string;
    const batch = (i: number) =>
      Array.from({ length: 1000 }, (_, j) => ({
        key: `k${j % 10}`,
        value: Math.random(),
        timestamp: Date.now(),
        step: i * 100 + Math.floor(j / 10),
      }));
    const ferryLog: number[] = [];
    const sqlLog: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      ferryLog.push((await time(() => api('POST', '/api/2.0/mlflow/runs/log-batch', { run_id: target, metrics: batch(i) })))[0]);
      const points = batch(i);
      sqlLog.push(
        (
          await time(() =>
            client.query(
              'insert into run_metrics (run_id, key, step, timestamp, value) select $1, * from unnest($2::text[], $3::bigint[], $4::bigint[], $5::float8[])',
              [sqlTarget, points.map((p) => p.key), points.map((p) => p.step), points.map((p) => p.timestamp), points.map((p) => p.value)],
            ),
          )
        )[0],
      );
    }
    const fl = summarize(ferryLog);
    const sl = summarize(sqlLog);

    // 2. Search: param filter + metric sort, first page and a deep page.
    const search = (pageToken?: string) =>
      api('POST', '/api/2.0/mlflow/runs/search', {
        experiment_ids: [experimentId],
        filter: "params.model = 'mlp'",
        order_by: ['metrics.m0 DESC'],
        max_results: PAGE,
        ...(pageToken ? { page_token: pageToken } : {}),
      });
    let token: string | undefined;
    for (let p = 0; p < DEEP_PAGE - 1; p++) token = (await search(token)).json.next_page_token as string | undefined;
    const plainSearch = (offset: number) =>
      client.query(
        `select r.id, m.value from runs r
           join run_params p on p.run_id = r.id and p.key = 'model' and p.value = 'mlp'
           left join run_latest_metrics m on m.run_id = r.id and m.key = 'm0'
         where r.experiment_id = $1 and r.lifecycle_stage = 'active'
         order by m.value desc nulls last, r.id desc limit $2 offset $3`,
        [experimentId, PAGE, offset],
      );
    const firstFerry: number[] = [];
    const deepFerry: number[] = [];
    const firstSql: number[] = [];
    const deepSql: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      firstFerry.push((await time(() => search()))[0]);
      deepFerry.push((await time(() => search(token)))[0]);
      firstSql.push((await time(() => plainSearch(0)))[0]);
      deepSql.push((await time(() => plainSearch((DEEP_PAGE - 1) * PAGE)))[0]);
    }

    // 3. A chart of 10 runs × 10,000 steps.
    const chartRuns: string[] = [];
    for (let i = 0; i < 10; i++)
      chartRuns.push((await api('POST', '/api/2.0/mlflow/runs/create', { experiment_id: experimentId })).json.run.info.run_id as string);
    await client.query(
      `insert into run_metrics (run_id, key, step, timestamp, value) select r, 'loss', s, 0, exp(-s / 3000.0) + random() / 10 from unnest($1::uuid[]) r, generate_series(0, 9999) s`,
      [chartRuns],
    );
    const chartFerry: number[] = [];
    const chartSql: number[] = [];
    let chartBytes = 0;
    let rawBytes = 0;
    for (let i = 0; i < Math.max(5, REPEAT / 5); i++) {
      const [ms, res] = await time(() => api('GET', `/api/runs/metric-chart?runIds=${chartRuns.join(',')}&key=loss&width=800`));
      chartFerry.push(ms);
      chartBytes = res.bytes;
      const [sqlMs, rows] = await time(() =>
        client.query(
          `select run_id, step, value, timestamp from run_metrics where run_id = any($1::uuid[]) and key = 'loss' order by run_id, step`,
          [chartRuns],
        ),
      );
      chartSql.push(sqlMs);
      rawBytes = Buffer.byteLength(JSON.stringify(rows.rows));
    }
    const fs1 = summarize(firstFerry);
    const fs2 = summarize(deepFerry);
    const ss1 = summarize(firstSql);
    const ss2 = summarize(deepSql);
    const cf = summarize(chartFerry);
    const cs = summarize(chartSql);
    const rows: BenchRow[] = [
      {
        metric: 'log-batch 1000 points p50 (MLflow API, HTTP)',
        unit: 'ms',
        ferry: fl.p50,
        reference: sl.p50,
        referenceName: 'plain INSERT (pg client)',
        better: 'lower',
      },
      {
        metric: 'log-batch 1000 points p99',
        unit: 'ms',
        ferry: fl.p99,
        reference: sl.p99,
        referenceName: 'plain INSERT (pg client)',
        better: 'lower',
        note: 'goal < 50 ms',
      },
      {
        metric: 'log-batch throughput',
        unit: 'points/s',
        ferry: 1000 / (fl.mean / 1000),
        reference: 1000 / (sl.mean / 1000),
        referenceName: 'plain INSERT (pg client)',
        better: 'higher',
      },
      {
        metric: `run search, first page of ${PAGE} p50`,
        unit: 'ms',
        ferry: fs1.p50,
        reference: ss1.p50,
        referenceName: 'plain JOIN … LIMIT',
        better: 'lower',
        note: `${RUNS} runs, param filter + metric sort`,
      },
      {
        metric: `run search, first page p99`,
        unit: 'ms',
        ferry: fs1.p99,
        reference: ss1.p99,
        referenceName: 'plain JOIN … LIMIT',
        better: 'lower',
        note: 'goal < 200 ms',
      },
      {
        metric: `run search, page ${DEEP_PAGE} p50`,
        unit: 'ms',
        ferry: fs2.p50,
        reference: ss2.p50,
        referenceName: 'plain JOIN … OFFSET',
        better: 'lower',
        note: 'Ferry: keyset token',
      },
      {
        metric: `run search, page ${DEEP_PAGE} p99`,
        unit: 'ms',
        ferry: fs2.p99,
        reference: ss2.p99,
        referenceName: 'plain JOIN … OFFSET',
        better: 'lower',
        note: 'goal < 200 ms',
      },
      {
        metric: 'chart of 10 runs × 10,000 steps p50',
        unit: 'ms',
        ferry: cf.p50,
        reference: cs.p50,
        referenceName: 'select every point',
        better: 'lower',
        note: 'Ferry: 800 min/max/last buckets per run, over HTTP',
      },
      {
        metric: 'chart of 10 runs × 10,000 steps, payload',
        unit: 'bytes',
        ferry: chartBytes,
        reference: rawBytes,
        referenceName: 'every point as JSON',
        better: 'lower',
      },
    ];
    printTable(`registry (PostgreSQL; ${RUNS} runs × ${METRICS} metrics × ${STEPS} steps loaded in ${loadSeconds.toFixed(0)} s)`, rows);
  } finally {
    await client.end();
    await server.dispose();
  }
}
