import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startAgent, type AgentProcess } from './helpers/agent';
import { buildOnnxMlp, MLP_SAMPLE, uploadApproved } from './helpers/onnx-models';
import { addUser, ownerSession } from './helpers/scenario';
import { BACKENDS, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';
import { enrollSimulated, type SimulatedAgent } from './helpers/simulated-agent';

// The fleet control plane through HTTP: groups, canary rollouts that halt by themselves, rollback,
// A/B splits served by a real agent, PyTorch-exported models, revocation, and 200 devices at once.
// On the embedded defaults and on PostgreSQL + NATS.

type Owner = Awaited<ReturnType<typeof ownerSession>>;

/** Retries a block of assertions until it passes or the time is up; fails with its last error. */
async function settle(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function pollAll(agents: SimulatedAgent[], concurrency = 25) {
  for (let i = 0; i < agents.length; i += concurrency) await Promise.all(agents.slice(i, i + concurrency).map((a) => a.poll()));
}

for (const config of BACKENDS) {
  describe(`fleet on ${config.name}`, () => {
    let server: ServerProcess;
    let owner: Owner;
    let skip: string | null = null;
    const agents: AgentProcess[] = [];
    before(async () => {
      skip = await serverSkipReason(config);
      if (skip) return;
      server = await startServerProcess({ db: config.db, nats: config.nats });
      owner = await ownerSession(server);
    });
    after(async () => {
      for (const a of agents) await a.dispose();
      await server?.dispose();
    });

    test('a canary with failing devices halts the rollout and puts its canaries back', async (c) => {
      if (skip) return c.skip(skip);
      const v1 = await uploadApproved(owner.api, owner.workspaceId, 'canary-model', buildOnnxMlp(1));
      const v2 = await uploadApproved(owner.api, owner.workspaceId, 'canary-model', buildOnnxMlp(2));
      const fleet: SimulatedAgent[] = [];
      for (let i = 0; i < 10; i++)
        fleet.push(await enrollSimulated(owner.api, server.url, { workspaceId: owner.workspaceId, name: `cam-${i}`, group: 'cameras' }));

      const first = await owner.api.post('/api/deployments', { workspaceId: owner.workspaceId, group: 'cameras', versionId: v1.versionId });
      assert.equal(first.status, 201, JSON.stringify(first.json));
      await pollAll(fleet);
      assert.ok(fleet.every((a) => a.current === v1.versionId));

      const rollout = await owner.api.post('/api/deployments', {
        workspaceId: owner.workspaceId,
        group: 'cameras',
        versionId: v2.versionId,
        canaryPercent: 40,
        haltThreshold: 0.25,
      });
      assert.equal(rollout.status, 201, JSON.stringify(rollout.json));
      const canaries = new Set(rollout.json.deployment.canaryDeviceIds as string[]);
      assert.equal(canaries.size, 4);
      assert.equal(rollout.json.deployment.stage, 'canary');
      // Two of the four canaries fail the new version: 50 % > 25 %.
      const failing = fleet.filter((a) => canaries.has(a.id)).slice(0, 2);
      for (const a of failing) a.fails = true;
      await pollAll(fleet);
      for (const a of fleet) {
        if (!canaries.has(a.id)) assert.equal(a.current, v1.versionId, 'devices outside the canary keep v1');
      }
      const overview = await owner.api.get(`/api/fleet?workspaceId=${owner.workspaceId}`);
      const cameras = (overview.json.groups as Array<Record<string, any>>).find((g) => g.group === 'cameras')!; // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(cameras.deployment.status, 'halted', JSON.stringify(cameras.deployment));
      assert.match(cameras.deployment.haltReason, /2 of 4 canary devices failed canary-model v2/);
      // Halted: the healthy canaries are sent back to v1 as well.
      await pollAll(fleet);
      assert.ok(
        fleet.every((a) => a.current === v1.versionId),
        'every device runs v1 again',
      );

      // An editor without the approver flag cannot act on deployments; a bad action is a 400.
      const editor = await addUser(server, { email: 'fleet-editor@example.test', role: 'editor' });
      assert.equal((await editor.api.post(`/api/deployments/${rollout.json.deployment.id}/action`, { action: 'resume' })).status, 403);
      assert.equal((await owner.api.post(`/api/deployments/${rollout.json.deployment.id}/action`, { action: 'explode' })).status, 400);
      assert.equal((await owner.api.post(`/api/deployments/${rollout.json.deployment.id}/action`, { action: 'advance' })).status, 409);
    });

    test('a healthy canary advances by itself; rollback returns the group to the previous version', async (c) => {
      if (skip) return c.skip(skip);
      const v1 = await uploadApproved(owner.api, owner.workspaceId, 'staged-model', buildOnnxMlp(3));
      const v2 = await uploadApproved(owner.api, owner.workspaceId, 'staged-model', buildOnnxMlp(4));
      const fleet: SimulatedAgent[] = [];
      for (let i = 0; i < 6; i++)
        fleet.push(await enrollSimulated(owner.api, server.url, { workspaceId: owner.workspaceId, name: `kiosk-${i}`, group: 'kiosks' }));
      await owner.api.post('/api/deployments', { workspaceId: owner.workspaceId, group: 'kiosks', versionId: v1.versionId });
      await pollAll(fleet);
      // Deploy through an alias: the alias is resolved and recorded.
      const alias = await owner.api.post(`/api/models/${v2.modelId}/aliases`, { alias: 'production', versionId: v2.versionId });
      assert.equal(alias.status, 200, JSON.stringify(alias.json));
      const staged = await owner.api.post('/api/deployments', {
        workspaceId: owner.workspaceId,
        group: 'kiosks',
        modelId: v2.modelId,
        alias: 'production',
        canaryPercent: 34,
      });
      assert.equal(staged.status, 201, JSON.stringify(staged.json));
      assert.equal(staged.json.deployment.modelVersionId, v2.versionId);
      assert.equal(staged.json.deployment.canaryDeviceIds.length, 2);
      await pollAll(fleet); // canaries take v2 and report healthy → the rollout opens to all
      const list = await owner.api.get(`/api/deployments?workspaceId=${owner.workspaceId}&group=kiosks`);
      assert.equal(list.json.deployments[0].stage, 'full', JSON.stringify(list.json.deployments[0]));
      await pollAll(fleet);
      assert.ok(fleet.every((a) => a.current === v2.versionId));

      const back = await owner.api.post(`/api/deployments/${staged.json.deployment.id}/action`, { action: 'rollback' });
      assert.equal(back.status, 200, JSON.stringify(back.json));
      await pollAll(fleet);
      assert.ok(fleet.every((a) => a.current === v1.versionId && a.previous === v2.versionId));
      assert.equal((await owner.api.post(`/api/deployments/${staged.json.deployment.id}/action`, { action: 'rollback' })).status, 409);
    });

    test('a revoked device is refused at once and its reports are not accepted', async (c) => {
      if (skip) return c.skip(skip);
      const device = await enrollSimulated(owner.api, server.url, { workspaceId: owner.workspaceId, name: 'stolen' });
      assert.equal(await device.poll(), 200);
      const revoked = await owner.api.post(`/api/devices/${device.id}/revoke`);
      assert.equal(revoked.status, 200, JSON.stringify(revoked.json));
      assert.equal(await device.poll(), 401);
      const report = await device.post('/api/device/state', {
        currentVersionId: null,
        previousVersionId: null,
        health: 'ok',
        backend: 'x',
      });
      assert.equal(report.status, 401);
      assert.equal((await owner.api.post(`/api/devices/${device.id}/revoke`)).status, 409);
      const moved = await owner.api.patch(`/api/devices/${device.id}`, { group: '../etc' });
      assert.equal(moved.status, 400);
    });

    test('a device reaches only its own deployment’s artifacts, and artifact names cannot escape the store', async (c) => {
      if (skip) return c.skip(skip);
      const mine = await uploadApproved(owner.api, owner.workspaceId, 'scope-model', buildOnnxMlp(8));
      const other = await uploadApproved(owner.api, owner.workspaceId, 'scope-model', buildOnnxMlp(9));
      const device = await enrollSimulated(owner.api, server.url, { workspaceId: owner.workspaceId, name: 'scoped', group: 'scoped' });
      await owner.api.post('/api/deployments', { workspaceId: owner.workspaceId, group: 'scoped', versionId: mine.versionId });
      const sha = async (versionId: string) => (await owner.api.get(`/api/model-versions/${versionId}`)).json.onnxSha256 as string;
      const fetchArtifact = (name: string) =>
        fetch(`${server.url}/api/device/artifacts/${name}`, { headers: { authorization: `Bearer ${device.credential.credential}` } });
      assert.equal((await fetchArtifact(await sha(mine.versionId))).status, 200);
      assert.equal((await fetchArtifact(await sha(other.versionId))).status, 404, 'a version not deployed to its group');
      for (const name of ['..%2F..%2Fserver.json', '..%2Fmanifest-signing-key.pem', 'A'.repeat(64)])
        assert.equal((await fetchArtifact(name)).status, 400, name);
      // Device credentials are not user credentials.
      const asUser = await fetch(`${server.url}/api/devices?workspaceId=${owner.workspaceId}`, {
        headers: { authorization: `Bearer ${device.credential.credential}` },
      });
      assert.equal(asUser.status, 403);
    });

    test('200 simulated agents converge on one control plane, polls cost a 304 when nothing changed', async (c) => {
      if (skip) return c.skip(skip);
      const v = await uploadApproved(owner.api, owner.workspaceId, 'fleet-model', buildOnnxMlp(5));
      const tokens = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          owner.api.post('/api/enrollment-tokens', { workspaceId: owner.workspaceId, deviceName: `sensor-${i}`, group: 'sensors' }),
        ),
      );
      const { SimulatedAgent } = await import('./helpers/simulated-agent');
      const fleet: SimulatedAgent[] = [];
      for (let i = 0; i < tokens.length; i += 25)
        fleet.push(...(await Promise.all(tokens.slice(i, i + 25).map((t) => SimulatedAgent.enroll(server.url, t.json.token as string)))));
      await pollAll(fleet);
      const dep = await owner.api.post('/api/deployments', { workspaceId: owner.workspaceId, group: 'sensors', versionId: v.versionId });
      assert.equal(dep.status, 201);
      await pollAll(fleet);
      await pollAll(fleet);
      assert.ok(fleet.every((a) => a.current === v.versionId));
      assert.ok(
        fleet.every((a) => a.notModified >= 1),
        'the second poll of an unchanged state is a 304',
      );
      // Each device reports drift twice with the same key: stored once.
      const report = (key: string) => ({
        idempotencyKey: key,
        modelVersionId: v.versionId,
        windowStart: new Date(Date.now() - 60_000).toISOString(),
        windowEnd: new Date().toISOString(),
        sampleCount: 100,
        features: [
          {
            name: 'f0',
            type: 'numeric',
            psi: 0.3,
            ks: { statistic: 0.4, pvalue: 1e-6 },
            wasserstein: 1,
            jensenshannon: null,
            chi2: null,
            drift: true,
          },
        ],
      });
      for (let i = 0; i < fleet.length; i += 25)
        await Promise.all(
          fleet
            .slice(i, i + 25)
            .flatMap((a) => [
              a.post('/api/device/drift-reports', report(`k-${a.id}`)),
              a.post('/api/device/drift-reports', report(`k-${a.id}`)),
            ]),
        );
      const overview = await owner.api.get(`/api/fleet?workspaceId=${owner.workspaceId}`);
      const sensors = (overview.json.groups as Array<Record<string, any>>).find((g) => g.group === 'sensors')!; // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(sensors.devices.ok, 200);
      assert.deepEqual(sensors.deployment.health, { targeted: 200, failed: 0, healthy: 200 });
      const timeline = await owner.api.get(`/api/fleet/drift?workspaceId=${owner.workspaceId}&hours=1`);
      assert.equal(timeline.json.reports.filter((r: { model: string }) => r.model === 'fleet-model v1').length, 200);
      const alerts = await owner.api.get(`/api/fleet/alerts?workspaceId=${owner.workspaceId}`);
      const mine = alerts.json.alerts.filter((a: { model: string }) => a.model === 'fleet-model v1');
      assert.equal(mine.length, 200, 'one open alert per device and feature');
      assert.ok(mine.every((a: { reports: number; reason: string }) => a.reports === 1 && /PSI 0.300/.test(a.reason)));
    });

    test('an A/B deployment splits a real agent’s predictions and compares versions with feedback', async (c) => {
      if (skip) return c.skip(skip);
      const a = await uploadApproved(owner.api, owner.workspaceId, 'ab-model', buildOnnxMlp(6));
      const b = await uploadApproved(owner.api, owner.workspaceId, 'ab-model', buildOnnxMlp(7));
      const token = await owner.api.post('/api/enrollment-tokens', {
        workspaceId: owner.workspaceId,
        deviceName: 'ab-device',
        group: 'ab',
      });
      const agent = await startAgent(server.url, token.json.token as string, { FERRY_AGENT_STATS_EVERY_MS: '500' });
      agents.push(agent);
      const dep = await owner.api.post('/api/deployments', {
        workspaceId: owner.workspaceId,
        group: 'ab',
        versionId: a.versionId,
        variant: { versionId: b.versionId, percent: 50 },
      });
      assert.equal(dep.status, 201, JSON.stringify(dep.json));
      await settle(async () => {
        const h = (await (await fetch(`${agent.url}/health`)).json()) as { variant: { modelVersionId: string } | null };
        assert.equal(h.variant?.modelVersionId, b.versionId);
      }, 30_000);
      const seen = new Map<string, number>();
      for (let i = 0; i < 60; i++) {
        const res = await fetch(`${agent.url}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ input: MLP_SAMPLE[i % 2] }),
        });
        const body = (await res.json()) as { modelVersionId: string; predictionId: string; output: number[] };
        seen.set(body.modelVersionId, (seen.get(body.modelVersionId) ?? 0) + 1);
        const expected = body.modelVersionId === a.versionId ? a.sampleOutput[i % 2]! : b.sampleOutput[i % 2]!;
        assert.ok(Math.abs(body.output[0]! - expected[0]!) < 1e-4, 'each prediction comes from the version it names');
        const fb = await fetch(`${agent.url}/feedback`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ predictionId: body.predictionId, label: expected[0]! + 0.5 }),
        });
        assert.equal(fb.status, 200);
      }
      assert.ok((seen.get(a.versionId) ?? 0) > 10 && (seen.get(b.versionId) ?? 0) > 10, JSON.stringify([...seen]));
      const unknown = await fetch(`${agent.url}/feedback`, { method: 'POST', body: JSON.stringify({ predictionId: 'nope', label: 1 }) });
      assert.equal(unknown.status, 404);
      await settle(async () => {
        const ab = await owner.api.get(`/api/deployments/${dep.json.deployment.id}/ab`);
        const versions = ab.json.versions as Array<{
          versionId: string;
          predictions: number;
          feedbackCount: number;
          feedbackScore: number;
          outputShare: number[];
        }>;
        assert.equal(versions.length, 2);
        for (const v of versions) {
          assert.equal(v.predictions, seen.get(v.versionId), JSON.stringify(versions));
          assert.equal(v.feedbackCount, seen.get(v.versionId));
          assert.ok(Math.abs(v.feedbackScore - 0.5) < 1e-4, 'mean absolute error of the labels');
          assert.ok(Math.abs(v.outputShare.reduce((x, y) => x + y, 0) - 1) < 1e-9);
        }
      }, 30_000);
    });

    test('models exported by PyTorch (MLP and CNN) serve on the agent with PyTorch’s outputs', async (c) => {
      if (skip) return c.skip(skip);
      const expected = JSON.parse(readFileSync('edge-agent/fixtures/torch-expected.json', 'utf8')) as Record<
        'mlp' | 'cnn',
        { input: unknown[]; output: number[][] }
      >;
      for (const kind of ['mlp', 'cnn'] as const) {
        const bytes = readFileSync(`edge-agent/fixtures/torch-${kind}.onnx`);
        const v = await uploadApproved(owner.api, owner.workspaceId, `torch-${kind}`, bytes, expected[kind].input.slice(0, 2));
        const token = await owner.api.post('/api/enrollment-tokens', {
          workspaceId: owner.workspaceId,
          deviceName: `torch-${kind}`,
          group: `torch-${kind}`,
        });
        const agent = await startAgent(server.url, token.json.token as string);
        agents.push(agent);
        await owner.api.post('/api/deployments', { workspaceId: owner.workspaceId, group: `torch-${kind}`, versionId: v.versionId });
        let body: { outputs: number[][]; modelVersionId: string } | undefined;
        await settle(async () => {
          const res = await fetch(`${agent.url}/predict`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ inputs: expected[kind].input }),
          });
          assert.equal(res.status, 200);
          body = (await res.json()) as typeof body;
        }, 30_000);
        assert.equal(body!.modelVersionId, v.versionId);
        const worst = Math.max(...body!.outputs.flatMap((row, i) => row.map((x, j) => Math.abs(x - expected[kind].output[i]![j]!))));
        assert.ok(worst < 1e-4, `${kind}: differs from PyTorch by ${worst}`);
        const wrong = await fetch(`${agent.url}/predict`, { method: 'POST', body: JSON.stringify({ input: [1, 2, 3] }) });
        assert.equal(wrong.status, 400);
        assert.match(((await wrong.json()) as { error: { message: string } }).error.message, /expects shape \[batch/);
      }
    });
  });
}
