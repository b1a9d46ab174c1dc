import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { profileRows } from '../core/drift/profile';
import { startAgent, type AgentProcess } from './helpers/agent';
import { startFaultyNetwork, type FaultyNetwork } from './helpers/faulty-network';
import { buildOnnxMlp, MLP_SAMPLE, uploadApproved } from './helpers/onnx-models';
import { ownerSession } from './helpers/scenario';
import { startServerProcess, type ServerProcess } from './helpers/server';

// A real agent process behind a network that fails on purpose, in front of the real server: a cut
// download resumes, corrupted or foreign-signed models are refused while the old one keeps serving,
// a failing health check never takes traffic and is reported, and reports queued while offline
// arrive exactly once. The agent's behaviour does not depend on the server's database or bus, so
// this runs on the embedded defaults only.

type Owner = Awaited<ReturnType<typeof ownerSession>>;

async function settle(check: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

interface Health {
  modelVersionId: string | null;
  lastError: string | null;
  pendingReports: number;
}

describe('edge agent under network faults', () => {
  let server: ServerProcess;
  let owner: Owner;
  let net: FaultyNetwork;
  let agent: AgentProcess;
  let deviceId: string;
  const versions: string[] = [];
  const reference = profileRows(Array.from({ length: 400 }, (_, i) => [Math.sin(i), Math.cos(i), (i % 10) / 10, 1]));

  const health = async () => (await (await fetch(`${agent.url}/health`)).json()) as Health;
  const predict = async (input: number[]) => {
    const res = await fetch(`${agent.url}/predict`, { method: 'POST', body: JSON.stringify({ input }) });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { modelVersionId: string; output: number[] };
  };
  const deploy = async (versionId: string) => {
    const res = await owner.api.post('/api/deployments', { workspaceId: owner.workspaceId, group: 'edge', versionId });
    assert.equal(res.status, 201, JSON.stringify(res.json));
  };

  before(async () => {
    server = await startServerProcess({ db: 'pglite' });
    owner = await ownerSession(server);
    for (let seed = 11; seed < 15; seed++)
      versions.push(
        (await uploadApproved(owner.api, owner.workspaceId, 'edge-model', buildOnnxMlp(seed), MLP_SAMPLE, { referenceProfile: reference }))
          .versionId,
      );
    net = await startFaultyNetwork(server.url);
    const token = await owner.api.post('/api/enrollment-tokens', { workspaceId: owner.workspaceId, deviceName: 'edge-1', group: 'edge' });
    agent = await startAgent(net.url, token.json.token as string, {
      FERRY_AGENT_POLL_MS: '200',
      FERRY_AGENT_DRIFT_EVERY: '20',
      FERRY_AGENT_DRIFT_WINDOW: '20',
      FERRY_AGENT_STATS_EVERY_MS: '3600000',
    });
    deviceId = ((await health()) as unknown as { deviceId: string }).deviceId;
  });
  after(async () => {
    await agent?.dispose();
    await net?.close();
    await server?.dispose();
  });

  test('a download cut in the middle resumes with a Range request', async () => {
    net.faults.cutArtifactAfter = 200;
    await deploy(versions[0]!);
    await settle(async () => assert.equal((await predict(MLP_SAMPLE[0]!)).modelVersionId, versions[0]));
    assert.ok(
      net.ranges.some((r) => /^bytes=\d+-$/.test(r) && Number(r.slice(6, -1)) > 0),
      `the second request asked for the rest: ${JSON.stringify(net.ranges)}`,
    );
  });

  test('a corrupted artifact is refused and the current model keeps serving', async () => {
    net.faults.corruptArtifacts = true;
    await deploy(versions[1]!);
    await settle(async () => assert.match((await health()).lastError ?? '', /sha256/));
    assert.equal((await predict(MLP_SAMPLE[0]!)).modelVersionId, versions[0]);
    net.faults.corruptArtifacts = false;
    await settle(async () => {
      const device = await owner.api.get(`/api/devices/${deviceId}`);
      assert.equal(device.json.failedVersionId, versions[1]);
      assert.equal(device.json.currentVersionId, versions[0]);
    });
  });

  test('a manifest signed by a key the device does not trust is refused', async () => {
    net.faults.resignManifests = true;
    await deploy(versions[2]!);
    await settle(async () => assert.match((await health()).lastError ?? '', /signature/));
    assert.equal((await predict(MLP_SAMPLE[0]!)).modelVersionId, versions[0]);
    // Once the network stops forging, the real manifest is accepted (nothing forged was cached).
    net.faults.resignManifests = false;
    await settle(async () => assert.equal((await predict(MLP_SAMPLE[0]!)).modelVersionId, versions[2]));
  });

  test('a model that fails its health check never takes traffic and the device reports it', async () => {
    net.faults.tamperSampleOutput = true;
    await deploy(versions[3]!);
    await settle(async () => assert.match((await health()).lastError ?? '', /health check/));
    net.faults.tamperSampleOutput = false;
    for (let i = 0; i < 20; i++) assert.equal((await predict(MLP_SAMPLE[i % 2]!)).modelVersionId, versions[2]);
    await settle(async () => {
      const device = await owner.api.get(`/api/devices/${deviceId}`);
      assert.equal(device.json.failedVersionId, versions[3]);
      assert.equal(device.json.currentVersionId, versions[2]);
      assert.equal(device.json.previousVersionId, versions[0]);
    });
  });

  test('no request fails while the agent switches models', async () => {
    const seen = new Set<string>();
    let failures = 0;
    let stop = false;
    const load = (async () => {
      while (!stop) {
        const res = await fetch(`${agent.url}/predict`, { method: 'POST', body: JSON.stringify({ inputs: MLP_SAMPLE }) });
        if (res.status !== 200) failures++;
        else seen.add(((await res.json()) as { modelVersionId: string }).modelVersionId);
      }
    })();
    await deploy(versions[0]!);
    await settle(async () => assert.ok(seen.has(versions[0]!), 'the new model took over'));
    stop = true;
    await load;
    assert.equal(failures, 0);
    assert.ok(seen.has(versions[2]!), 'the old model served until the switch');
  });

  test('drift reports queued while offline arrive exactly once, even when a reply is lost', async () => {
    // Reports from earlier tests' predictions are delivered first, so the counts below are this test's.
    await settle(async () => assert.equal((await health()).pendingReports, 0));
    const before = (await owner.api.get(`/api/devices/${deviceId}`)).json.reports.length as number;
    const delivered = agent.logs().match(/drift report [0-9a-f]{8} over/g)?.length ?? 0;
    net.faults.offline = true;
    for (let i = 0; i < 60; i++) await predict([Math.sin(i) * 3, Math.cos(i), 0.5, 1]); // 3 windows of 20
    await settle(async () => assert.ok((await health()).pendingReports >= 3));
    const made = (agent.logs().match(/drift report [0-9a-f]{8} over/g)?.length ?? 0) - delivered;
    assert.equal(made, 3);
    const forwardedBefore = net.reportsForwarded;
    net.faults.dropReportReplies = 1;
    net.faults.offline = false;
    await settle(async () => assert.equal((await health()).pendingReports, 0));
    const reports = (await owner.api.get(`/api/devices/${deviceId}`)).json.reports as Array<{ idempotencyKey: string }>;
    assert.equal(reports.length - before, 3, 'each report stored once');
    assert.equal(new Set(reports.map((r) => r.idempotencyKey)).size, reports.length);
    assert.ok(net.reportsForwarded - forwardedBefore >= 4, 'the report whose reply was lost was sent again');
  });
});
