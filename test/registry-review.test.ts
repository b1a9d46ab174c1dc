import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { connectNatsBus } from '../core/bus/nats';
import type { Bus } from '../core/bus/port';
import { registryEventSchema, type RegistryEvent } from '../core/contracts/messages/registry-event';
import { subjects } from '../core/contracts/subjects';
import { eventually } from './helpers/collab-client';
import { buildOnnxMlp, MLP_SAMPLE } from './helpers/onnx-models';
import { addUser, ownerSession } from './helpers/scenario';
import { BACKENDS, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';
import { natsTestUrl } from './helpers/services';

// The approver's side of the registry: evaluations on a fixed dataset version, the review of a
// candidate beside the version at `production`, the model card, and registry events delivered on the
// bus and to signed webhooks that retry until the receiver answers. Both backends.

interface Received {
  body: string;
  signature: string | undefined;
  event: string | undefined;
}

/** A webhook receiver that fails its first `failFirst` requests with 500, like a flaky endpoint. */
async function startReceiver(failFirst: number): Promise<{ url: string; received: Received[]; attempts: number; close(): Promise<void> }> {
  const state = { received: [] as Received[], attempts: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      state.attempts++;
      if (state.attempts <= failFirst) {
        res.writeHead(500).end('not yet');
        return;
      }
      state.received.push({ body, signature: req.headers['x-ferry-signature'] as string, event: req.headers['x-ferry-event'] as string });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/ferry`,
    received: state.received,
    get attempts() {
      return state.attempts;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

for (const config of BACKENDS) {
  describe(`registry review and events on ${config.name}`, () => {
    let server: ServerProcess;
    let owner: Awaited<ReturnType<typeof ownerSession>>;
    let skip: string | null = null;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let bus: Bus | null = null;
    const onBus: RegistryEvent[] = [];
    before(async () => {
      skip = await serverSkipReason(config);
      if (skip) return;
      receiver = await startReceiver(2);
      server = await startServerProcess({
        db: config.db,
        nats: config.nats,
        env: {
          FERRY_WEBHOOK_RETRY_BASE_MS: '100',
          // The receiver listens on loopback, like an on-premise one would on the private network.
          FERRY_WEBHOOK_ALLOW_PRIVATE: '1',
        },
      });
      owner = await ownerSession(server);
      if (config.nats) {
        bus = await connectNatsBus(natsTestUrl(), { name: 'registry-events-test' });
        await bus.subscribe(subjects.registryEvents(owner.workspaceId), (m) => void onBus.push(registryEventSchema.parse(m.json())));
      }
    });
    after(async () => {
      await bus?.close();
      await server?.dispose();
      await receiver?.close();
    });

    test('an approver sees the candidate beside production, and every change reaches the bus and a signed webhook', async (c) => {
      if (skip) return c.skip(skip);
      const editor = await addUser(server, { email: 'editor@example.test', role: 'editor' });
      const ws = owner.workspaceId;

      // Webhooks are the owner's to configure; bad URLs are refused.
      assert.equal((await editor.api.post(`/api/workspaces/${ws}/webhooks`, { url: receiver.url })).status, 403);
      const badUrl = await owner.api.post(`/api/workspaces/${ws}/webhooks`, { url: 'ftp://example.test/x' });
      assert.equal(badUrl.status, 400);
      assert.match(badUrl.json.error.message, /http/);
      const hook = await owner.api.post(`/api/workspaces/${ws}/webhooks`, { url: receiver.url });
      assert.equal(hook.status, 201, JSON.stringify(hook.json));
      const secret = hook.json.secret as string;
      assert.equal((await owner.api.get(`/api/workspaces/${ws}/webhooks`)).json.webhooks[0].secret, undefined, 'the secret is shown once');

      const holdout = await owner.api.raw(
        'POST',
        `/api/datasets/upload?workspaceId=${ws}&name=holdout&format=csv`,
        'x,y\n1,0\n2,1\n3,1\n',
        {
          'content-type': 'text/csv',
        },
      );
      assert.equal(holdout.status, 201, JSON.stringify(holdout.json));

      const upload = async (seed: number) => {
        const up = await editor.api.post('/api/models/upload', {
          workspaceId: ws,
          modelName: 'scorer',
          onnxBase64: Buffer.from(buildOnnxMlp(seed)).toString('base64'),
          sampleInput: MLP_SAMPLE,
        });
        assert.equal(up.status, 201, JSON.stringify(up.json));
        return up.json.version.id as string;
      };
      const v1 = await upload(1);
      assert.equal((await owner.api.post(`/api/model-versions/${v1}/approve`, { comment: 'baseline' })).status, 200);
      const modelId = (await owner.api.get(`/api/model-versions/${v1}`)).json.model.id as string;
      assert.equal((await owner.api.post(`/api/models/${modelId}/aliases`, { alias: 'production', versionId: v1 })).status, 200);
      const v2 = await upload(2);

      // Evaluations: editors record them, on a fixed dataset version that exists.
      const evalOf = (v: string, body: unknown) => editor.api.post(`/api/model-versions/${v}/evaluations`, body);
      assert.equal((await evalOf(v1, { dataset: 'holdout@1', metrics: { accuracy: 0.81, auc: 0.86 } })).status, 201);
      assert.equal((await evalOf(v2, { dataset: 'holdout@1', metrics: { accuracy: 0.84, auc: 0.85, f1: 0.7 } })).status, 201);
      const floating = await evalOf(v2, { dataset: 'holdout', metrics: { accuracy: 1 } });
      assert.equal(floating.status, 400);
      assert.match(floating.json.error.message, /name@version/);
      assert.equal((await evalOf(v2, { dataset: 'holdout@9', metrics: { accuracy: 1 } })).status, 404);
      assert.equal((await evalOf(v2, { dataset: 'holdout@1', metrics: {} })).status, 400);

      const card = await editor.api.patch(`/api/model-versions/${v2}`, { description: '## Intended use\nScoring churn risk.' });
      assert.equal(card.status, 200, JSON.stringify(card.json));

      const review = (await owner.api.get(`/api/model-versions/${v2}/review`)).json;
      assert.equal(review.candidate.id, v2);
      assert.equal(review.candidate.description, '## Intended use\nScoring churn risk.');
      assert.equal(review.production.id, v1);
      assert.deepEqual(review.production.aliases, ['production']);
      assert.equal(review.signatureChanged, false);
      const accuracy = review.comparison.find((r: { metric: string }) => r.metric === 'accuracy');
      assert.equal(accuracy.dataset, 'holdout@1');
      assert.equal(accuracy.candidate, 0.84);
      assert.equal(accuracy.production, 0.81);
      assert.ok(Math.abs(accuracy.delta - 0.03) < 1e-12);
      const f1 = review.comparison.find((r: { metric: string }) => r.metric === 'f1');
      assert.equal(f1.production, null, 'a metric production never measured is shown as missing, not zero');
      assert.deepEqual(
        review.candidate.history.map((h: { action: string }) => h.action),
        ['version.created', 'version.evaluated', 'version.card-updated'],
      );

      // An editor without the approver flag cannot decide; an approver can, and moves production.
      assert.equal((await editor.api.post(`/api/model-versions/${v2}/approve`, {})).status, 403);
      assert.equal((await owner.api.post(`/api/model-versions/${v2}/approve`, { comment: 'better accuracy on holdout@1' })).status, 200);
      assert.equal((await owner.api.post(`/api/models/${modelId}/aliases`, { alias: 'production', versionId: v2 })).status, 200);
      assert.equal((await owner.api.get(`/api/model-versions/${v2}/review`)).json.candidateIsProduction, true);

      const expected = [
        ['model_version.created', 1],
        ['model_version.approved', 1],
        ['alias.moved', 1],
        ['model_version.created', 2],
        ['model_version.evaluated', 1],
        ['model_version.evaluated', 2],
        ['model_version.approved', 2],
        ['alias.moved', 2],
      ];
      const summary = (events: RegistryEvent[]) => events.map((e) => [e.type, e.version?.version]);
      // The receiver failed twice: the dispatcher retried, and it still gets every event once, in order.
      await eventually(() => receiver.received.length >= expected.length, 20_000, 'all webhook deliveries');
      const delivered = receiver.received.map((r) => {
        assert.equal(r.signature, `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`, 'signed with the secret');
        const event = registryEventSchema.parse(JSON.parse(r.body));
        assert.equal(r.event, event.type);
        return event;
      });
      delivered.sort((a, b) => a.id - b.id);
      assert.deepEqual(summary(delivered), expected);
      assert.equal(new Set(delivered.map((e) => e.id)).size, delivered.length, 'no event delivered twice');
      assert.ok(receiver.attempts >= expected.length + 2);
      assert.equal(delivered[2]!.data.alias, 'production');
      assert.equal(delivered[6]!.data.comment, 'better accuracy on holdout@1');
      const log = await owner.api.get(`/api/webhooks/${hook.json.webhook.id}/deliveries`);
      assert.ok(log.json.deliveries.every((d: { status: string }) => d.status === 'delivered'));
      assert.ok(
        log.json.deliveries.some((d: { attempts: number }) => d.attempts > 1),
        'the failed first tries are on record',
      );

      if (config.nats) {
        await eventually(() => onBus.length >= expected.length, 10_000, 'events on NATS');
        assert.deepEqual(summary([...onBus].sort((a, b) => a.id - b.id)), expected);
      }
    });

    test('a dead webhook endpoint is retried with backoff and then marked failed, and nothing else is held up', async (c) => {
      if (skip) return c.skip(skip);
      const ws = owner.workspaceId;
      const dead = await owner.api.post(`/api/workspaces/${ws}/webhooks`, { url: 'http://127.0.0.1:9/nobody', events: ['alias.deleted'] });
      assert.equal(dead.status, 201);
      const models = (await owner.api.get(`/api/models?workspaceId=${ws}`)).json.models as Array<{ id: string; name: string }>;
      const scorer = models.find((m) => m.name === 'scorer')!;
      assert.equal((await owner.api.delete(`/api/models/${scorer.id}/aliases/production`)).status, 200);
      await eventually(
        async () => {
          const log = await owner.api.get(`/api/webhooks/${dead.json.webhook.id}/deliveries`);
          return log.json.deliveries[0]?.status === 'failed';
        },
        30_000,
        'the dead endpoint to be given up on after 8 attempts',
      );
      const log = (await owner.api.get(`/api/webhooks/${dead.json.webhook.id}/deliveries`)).json;
      assert.equal(log.deliveries.length, 1, 'only the event type it asked for');
      assert.equal(log.deliveries[0].attempts, 8);
      assert.equal(log.deliveries[0].lastError, 'delivery failed', 'the socket error itself stays out of the log');
      await eventually(() => receiver.received.some((r) => r.event === 'alias.deleted'), 10_000, 'the healthy webhook still delivered');
    });
  });
}
