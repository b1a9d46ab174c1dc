import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startAgent, type AgentProcess } from '../test/helpers/agent';
import { eventually } from '../test/helpers/collab-client';
import { TRAINING_CELL } from '../test/helpers/lifecycle';
import { addUser, ownerSession } from '../test/helpers/scenario';
import { apiClient, serverSkipReason, startServerProcess, type ServerProcess } from '../test/helpers/server';
import { cspViolations, launchBrowser, signIn } from './helpers';

// The walking skeleton in a browser: two people co-edit and run a training cell, promote the run,
// approve and deploy it; an agent serves it and the devices page shows its drift. Once on the
// embedded defaults, once on PostgreSQL + NATS.

const configs = [
  { name: 'embedded defaults', db: 'pglite' as const, nats: false },
  { name: 'PostgreSQL + NATS', db: 'postgres' as const, nats: true },
];

// Monaco renders spaces as non-breaking spaces.
const editorText = async (page: Page) =>
  (await page.locator('[data-testid=cell-editor] .view-lines').first().innerText()).replace(/\u00a0/g, ' ');

for (const config of configs) {
  describe(`walking skeleton in the browser: ${config.name}`, () => {
    let server: ServerProcess;
    let browser: Browser;
    let agent: AgentProcess | undefined;
    let skip: string | null = null;
    before(async () => {
      skip = await serverSkipReason(config);
      if (skip) return;
      server = await startServerProcess({ db: config.db, nats: config.nats });
      browser = await launchBrowser();
    });
    after(async () => {
      await agent?.dispose();
      await browser?.close();
      await server?.dispose();
    });

    test('co-edit, run, promote, approve, deploy, serve, drift', async (c) => {
      if (skip) return c.skip(skip);
      const owner = await ownerSession(server, 'ada@example.test');
      await addUser(server, { email: 'bob@example.test', role: 'editor' });
      const notebookId = (await owner.api.post('/api/notebooks', { name: 'Churn' })).json.id as string;
      const slug = 'ml-team';

      const ada = await (await browser.newContext()).newPage();
      const bob = await (await browser.newContext()).newPage();
      const violations = [cspViolations(ada), cspViolations(bob)];
      await signIn(ada, server.url, 'ada@example.test', 'owner-password');
      await signIn(bob, server.url, 'bob@example.test', 'member-password');
      for (const page of [ada, bob]) {
        await page.goto(`${server.url}/w/${slug}/notebooks/${notebookId}`);
        await page.waitForSelector('[data-testid=connection-state] >> text=connected');
        await page.waitForSelector('[data-testid=cell-editor] .monaco-editor');
      }
      // Both see each other, and edits in one editor appear in the other.
      await ada.waitForSelector('[data-testid=presence-avatar]');
      await bob.waitForSelector('[data-testid=presence-avatar]');
      await ada.click('[data-testid=cell-editor] .view-lines');
      await ada.keyboard.insertText('// Ada was here\n');
      await eventually(async () => (await editorText(bob)).includes('Ada was here'), 10_000, "Ada's edit in Bob's editor");
      await bob.click('[data-testid=cell-editor] .view-lines');
      await bob.keyboard.press('Control+End');
      await bob.keyboard.insertText(TRAINING_CELL);
      await eventually(async () => (await editorText(ada)).includes('trained on'), 10_000, "Bob's code in Ada's editor");

      // Bob runs it; both see the output live.
      await bob.click('[data-testid=run-cell]');
      for (const page of [ada, bob])
        await page.waitForSelector('[data-testid=cell-output] >> text=trained on 400 rows', { timeout: 120_000 });
      const trainedAt = Date.now();
      assert.equal(await ada.locator('[data-testid=cell-output] .err').count(), 0);

      // Ada promotes the run from the runs page, approves and deploys it from the registry.
      await ada.goto(`${server.url}/w/${slug}/runs`);
      // The cell's run stays the kernel's active run (running) until ended; it can be promoted as it is.
      await ada.waitForSelector('[data-testid=run-row] >> text=running');
      await ada.click('[data-testid=promote-run]');
      await ada.fill('[data-testid=dialog-field-modelName]', 'churn');
      await ada.click('[data-testid=dialog-confirm]');
      await ada.waitForSelector('[data-testid=runs-message] >> text=Registered churn v1');
      await ada.goto(`${server.url}/w/${slug}/models`);
      await ada.click('[data-testid=approve-version]');
      await ada.fill('[data-testid=dialog-field-comment]', 'parity checked, ship it');
      await ada.click('[data-testid=dialog-confirm]');
      await ada.waitForSelector('[data-testid=version-status] >> text=approved');
      await ada.click('[data-testid=deploy-version]');
      await ada.waitForSelector('[data-testid=models-message] >> text=Deployed');

      const token = (await owner.api.post('/api/enrollment-tokens', { workspaceId: owner.workspaceId, deviceName: 'edge-1' })).json
        .token as string;
      agent = await startAgent(server.url, token, { FERRY_AGENT_DRIFT_EVERY: '50', FERRY_AGENT_DRIFT_WINDOW: '200' });
      const device = apiClient(agent.url);
      await eventually(async () => (await device.get('/health')).json.modelVersionId != null, 60_000, 'the agent to load the model');
      const first = await device.post('/predict', { input: [0.1, 0.2, 0.3] });
      assert.equal(first.status, 200);
      console.log(
        `[timing] ${config.name}: training cell end → first agent prediction ${Date.now() - trainedAt} ms (includes promote/approve/deploy clicks)`,
      );
      const shifted = Array.from({ length: 60 }, (_, i) => [3 + Math.sin(i), Math.cos(i * 0.7), (i % 10) / 10]);
      assert.equal((await device.post('/predict', { inputs: shifted })).status, 200);

      await ada.goto(`${server.url}/w/${slug}/devices`);
      await ada.waitForSelector('[data-testid=device-model] >> text=churn v1');
      await ada.waitForSelector('[data-testid=feature-drift] >> text=/a: .* drift/', { timeout: 30_000 });
      // The fleet dashboard: the group's rollout, the drift alert, the drift chart; retrain from the alert.
      await ada.waitForSelector('[data-testid=group-deployment] >> text=churn v1');
      await ada.waitForSelector('[data-testid=deployment-status] >> text=active');
      const alertA = ada.locator('[data-testid=alert-row]').filter({ has: ada.locator('td:nth-child(3)', { hasText: /^a$/ }) });
      await alertA.waitFor({ timeout: 30_000 });
      await ada.waitForSelector('[data-testid=drift-panel] [data-testid=line-chart]');
      await alertA.locator('button', { hasText: 'retrain' }).click();
      await ada.fill('[data-testid=dialog-field-dataRef]', 'synthetic-v2');
      await ada.click('[data-testid=dialog-confirm]');
      await ada.waitForSelector('text=Retraining: 1 cell queued');
      await alertA.locator('a', { hasText: 'retrain run' }).waitFor({ timeout: 120_000 });
      await ada.screenshot({ path: `${server.dataDir}/devices.png`, fullPage: true });
      assert.deepEqual(violations.flat(), [], 'every page of the walk runs under the CSP');
    });
  });
}
