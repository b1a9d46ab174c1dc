import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../test/helpers/collab-client';
import { buildOnnxMlp, uploadApproved } from '../test/helpers/onnx-models';
import { ownerSession } from '../test/helpers/scenario';
import { enrollSimulated, type SimulatedAgent } from '../test/helpers/simulated-agent';
import { browserSuite, signIn } from './helpers';

// A canary started from the UI is a canary: with auto-advance off (the default when the canary is
// under 100 %), a third of the group gets the version and the rest waits, however healthy the
// canaries are, until someone presses advance. The group card says which of the two will happen.

const suite = browserSuite({ db: 'pglite' });

test('a canary at 34 % is held until advanced', async () => {
  const owner = await ownerSession(suite.server, 'ada@example.test');
  const stable = await uploadApproved(owner.api, owner.workspaceId, 'canary-model', buildOnnxMlp(7));
  const { versionId } = await uploadApproved(owner.api, owner.workspaceId, 'canary-model', buildOnnxMlp(8));
  const devices: SimulatedAgent[] = [];
  for (let i = 0; i < 6; i++)
    devices.push(await enrollSimulated(owner.api, suite.server.url, { workspaceId: owner.workspaceId, name: `cam-${i}`, group: 'cams' }));
  // v1 runs everywhere first: the canary of v2 needs a version for the rest of the group to stay on.
  const first = await owner.api.post('/api/deployments', { workspaceId: owner.workspaceId, group: 'cams', versionId: stable.versionId });
  assert.equal(first.status, 201, JSON.stringify(first.json));
  for (const d of devices) await d.poll();
  assert.ok(devices.every((d) => d.current === stable.versionId));

  const page = await (await suite.browser.newContext()).newPage();
  await signIn(page, suite.server.url, 'ada@example.test', 'owner-password');
  await page.goto(`${suite.server.url}/w/ml-team/devices`);
  const form = page.locator('[data-testid=deployment-form]');
  await form.locator('input[list=fleet-groups]').fill('cams');
  await page.selectOption('[data-testid=deploy-version]', versionId);
  await page.fill('[data-testid=canary-percent]', '34');
  assert.equal(await page.isChecked('[data-testid=auto-advance]'), false, 'auto-advance is off by default');
  await form.locator('button[type=submit]').click();
  await page.waitForSelector('text=the rest waits until you press advance');

  // Every device polls a few times and reports healthy: only the canaries move.
  for (let round = 0; round < 4; round++) for (const d of devices) await d.poll();
  await page.waitForTimeout(1500);
  for (const d of devices) await d.poll();
  const onVersion = devices.filter((d) => d.current === versionId).length;
  assert.equal(onVersion, 2, `34 % of 6 devices (rounded) run the canary: ${onVersion}`);
  assert.equal(devices.filter((d) => d.current === stable.versionId).length, 6 - onVersion, 'the rest stays on v1');
  await page.reload();
  await page.waitForSelector('[data-testid=canary-plan]');
  assert.match(
    await page.locator('[data-testid=canary-plan]').innerText(),
    /held here: the rest of the group gets it only when someone presses advance/,
  );
  assert.match(await page.locator('[data-testid=deployment-status]').innerText(), /active · canary/);
  await page.screenshot({ path: '/tmp/canary-held.png', fullPage: true });

  await page.click('button:has-text("advance")');
  await eventually(
    async () => {
      for (const d of devices) await d.poll();
      return devices.every((d) => d.current === versionId);
    },
    20_000,
    'the whole group after advance',
  );
  await page.reload();
  await page.waitForSelector('[data-testid=deployment-status] >> text=active · full');
});
