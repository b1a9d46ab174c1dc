import { randomBytes, createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, Agent, request } from 'node:http';
import pg from 'pg';
import { buildOnnxMlp, uploadApproved } from '../../test/helpers/onnx-models';
import { ownerSession } from '../../test/helpers/scenario';
import { requireService, postgresAdminUrl } from '../../test/helpers/services';
import { startServerProcess } from '../../test/helpers/server';
import { SimulatedAgent } from '../../test/helpers/simulated-agent';
import type { BenchRow } from '../table';
import { summarize } from '../table';

// The control plane under a fleet, on PostgreSQL: desired-state polls per second with 10,000 devices
// (each holding its ETag, so an unchanged state is a 304), beside a bare node:http server answering
// 304 to the same client; and the time to roll a version out to 1,000 devices polling every second,
// beside that poll interval (the floor of any pull-based rollout).

const DEVICES = Number(process.env.FERRY_BENCH_DEVICES ?? 10_000);
const ROLLOUT_DEVICES = Number(process.env.FERRY_BENCH_ROLLOUT_DEVICES ?? 1000);
const POLL_SECONDS = Number(process.env.FERRY_BENCH_POLL_SECONDS ?? 10);
const CONCURRENCY = 64;
const POLL_INTERVAL_MS = 1000;

function get(agent: Agent, url: URL, headers: Record<string, string>): Promise<{ status: number; etag: string | null }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: (res.headers.etag as string | undefined) ?? null }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls `url` as many devices for `seconds`: returns polls/s and latency. */
async function pollLoad(url: URL, credentials: string[], etags: Map<string, string>, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const times: number[] = [];
  let next = 0;
  let notModified = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const credential = credentials[next++ % credentials.length]!;
        const etag = etags.get(credential);
        const t = performance.now();
        const res = await get(agent, url, { authorization: `Bearer ${credential}`, ...(etag ? { 'if-none-match': etag } : {}) });
        times.push(performance.now() - t);
        if (res.status === 304) notModified++;
        else if (res.status === 200 && res.etag) etags.set(credential, res.etag);
        else if (res.status !== 200) throw new Error(`desired state: HTTP ${res.status}`);
      }
    }),
  );
  agent.destroy();
  return { perSecond: times.length / seconds, latency: summarize(times), notModifiedShare: notModified / times.length };
}

async function warmUp(url: URL, credentials: string[], etags: Map<string, string>) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < credentials.length) {
        const credential = credentials[next++]!;
        const res = await get(agent, url, { authorization: `Bearer ${credential}` });
        if (res.status !== 200 || !res.etag) throw new Error(`desired state: HTTP ${res.status}`);
        etags.set(credential, res.etag);
      }
    }),
  );
  agent.destroy();
}

async function bareFloor(seconds: number) {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(304, { etag: '"x"' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = new URL(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
  const result = await pollLoad(url, ['x'], new Map(), seconds);
  server.close();
  return result;
}

/** Inserts devices straight into PostgreSQL (enrolling 10,000 through the API is not what is measured). */
async function insertDevices(databaseUrl: string, workspaceId: string, group: string, count: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const credentials: string[] = [];
  try {
    for (let start = 0; start < count; start += 1000) {
      const batch = Array.from({ length: Math.min(1000, count - start) }, (_, i) => {
        const secret = `fdev_${randomBytes(24).toString('base64url')}`;
        credentials.push(secret);
        return [`${group}-${start + i}`, createHash('sha256').update(secret).digest('hex')];
      });
      await client.query(
        `insert into devices (workspace_id, name, credential_hash, "group", health) select $1, n, h, $2, 'ok' from unnest($3::text[], $4::text[]) as t(n, h)`,
        [workspaceId, group, batch.map((b) => b[0]), batch.map((b) => b[1])],
      );
    }
  } finally {
    await client.end();
  }
  return credentials;
}

async function rollout(server: string, agents: SimulatedAgent[], deploy: () => Promise<void>, versionId: string): Promise<number> {
  const started = Date.now();
  await deploy();
  // Every device polls once a second, spread over the second as a real fleet would be.
  const offsets = agents.map((_, i) => (i / agents.length) * POLL_INTERVAL_MS);
  let round = 0;
  while (agents.some((a) => a.current !== versionId)) {
    const roundStart = started + round * POLL_INTERVAL_MS;
    const due = agents.map((a, i) => ({ a, at: roundStart + offsets[i]! }));
    for (let i = 0; i < due.length; i += CONCURRENCY) {
      const wait = due[i]!.at - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await Promise.all(due.slice(i, i + CONCURRENCY).map(({ a }) => a.poll()));
    }
    round++;
    if (Date.now() - started > 300_000) throw new Error(`rollout to ${agents.length} devices did not finish in 5 minutes (${server})`);
  }
  return (Date.now() - started) / 1000;
}

export async function controlPlane(): Promise<BenchRow[]> {
  const skip = await requireService('PostgreSQL', postgresAdminUrl());
  if (skip) {
    return [
      {
        metric: 'desired-state polls per second',
        unit: 'polls/s',
        ferry: null,
        reference: null,
        referenceName: 'bare node:http 304',
        better: 'higher',
        note: skip,
      },
    ];
  }
  if (!existsSync('.next/BUILD_ID')) {
    process.stderr.write('  building the UI once (npm run build) so the server can start…\n');
    if (spawnSync('npm', ['run', 'build'], { stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
  }
  const server = await startServerProcess({ db: 'postgres' });
  try {
    const owner = await ownerSession(server);
    const v1 = await uploadApproved(owner.api, owner.workspaceId, 'bench-model', buildOnnxMlp(1));
    const v2 = await uploadApproved(owner.api, owner.workspaceId, 'bench-model', buildOnnxMlp(2));
    process.stderr.write(`  ${DEVICES} devices…\n`);
    const credentials = await insertDevices(server.env.DATABASE_URL!, owner.workspaceId, 'fleet', DEVICES);
    await owner.api.post('/api/deployments', { workspaceId: owner.workspaceId, group: 'fleet', versionId: v1.versionId });
    const url = new URL(`${server.url}/api/device/desired-state`);
    const etags = new Map<string, string>();
    await warmUp(url, credentials, etags); // every device fetches its state once and keeps the ETag
    const polls = await pollLoad(url, credentials, etags, POLL_SECONDS);
    const floor = await bareFloor(POLL_SECONDS);

    process.stderr.write(`  rollouts to ${ROLLOUT_DEVICES} devices…\n`);
    const tokens: string[] = [];
    for (let i = 0; i < ROLLOUT_DEVICES; i += CONCURRENCY) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, ROLLOUT_DEVICES - i) }, (_, j) =>
          owner.api.post('/api/enrollment-tokens', { workspaceId: owner.workspaceId, deviceName: `r-${i + j}`, group: 'rollout' }),
        ),
      );
      tokens.push(...batch.map((b) => b.json.token as string));
    }
    const agents: SimulatedAgent[] = [];
    for (let i = 0; i < tokens.length; i += CONCURRENCY)
      agents.push(...(await Promise.all(tokens.slice(i, i + CONCURRENCY).map((t) => SimulatedAgent.enroll(server.url, t)))));
    const full = await rollout(
      server.url,
      agents,
      async () =>
        void (await owner.api.post('/api/deployments', { workspaceId: owner.workspaceId, group: 'rollout', versionId: v1.versionId })),
      v1.versionId,
    );
    const staged = await rollout(
      server.url,
      agents,
      async () =>
        void (await owner.api.post('/api/deployments', {
          workspaceId: owner.workspaceId,
          group: 'rollout',
          versionId: v2.versionId,
          canaryPercent: 10,
        })),
      v2.versionId,
    );
    return [
      {
        metric: `desired-state polls/s, ${DEVICES} devices (PostgreSQL)`,
        unit: 'polls/s',
        ferry: polls.perSecond,
        reference: floor.perSecond,
        referenceName: 'bare node:http 304',
        better: 'higher',
        note: `${(polls.notModifiedShare * 100).toFixed(0)} % answered 304; ${CONCURRENCY} concurrent clients on the same 2 cores`,
      },
      {
        metric: 'desired-state poll latency p50',
        unit: 'ms',
        ferry: polls.latency.p50,
        reference: floor.latency.p50,
        referenceName: 'bare node:http 304',
        better: 'lower',
      },
      {
        metric: 'desired-state poll latency p99',
        unit: 'ms',
        ferry: polls.latency.p99,
        reference: floor.latency.p99,
        referenceName: 'bare node:http 304',
        better: 'lower',
      },
      {
        metric: `roll out to ${ROLLOUT_DEVICES} devices, all at once`,
        unit: 's',
        ferry: full,
        reference: POLL_INTERVAL_MS / 1000,
        referenceName: 'one poll interval',
        better: 'lower',
        note: 'until every device reported the new version',
      },
      {
        metric: `roll out to ${ROLLOUT_DEVICES} devices, 10 % canary then auto-advance`,
        unit: 's',
        ferry: staged,
        reference: (2 * POLL_INTERVAL_MS) / 1000,
        referenceName: 'two poll intervals',
        better: 'lower',
      },
    ];
  } finally {
    await server.dispose();
  }
}
