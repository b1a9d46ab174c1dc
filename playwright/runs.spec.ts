import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../test/helpers/collab-client';
import { notebookWith } from '../test/helpers/notebook-cells';
import { ownerSession } from '../test/helpers/scenario';
import { browserSuite, cspViolations, signIn } from './helpers';

// A run's page, reached the ways a user reaches it: from the runs list, from the trainings panel of
// the notebook and from the registry's review of a version promoted from it. It shows the params, a
// metric chart, the model version and the notebook version the run came from.

const suite = browserSuite({ db: 'pglite' });

const CELLS = [
  `// hyperparameters
const epochs = 4;
await ferry.logParams({ epochs, optimizer: 'adam' });`,
  `// train
const xs = Array.from({ length: 96 }, (_, i) => [Math.sin(i), Math.cos(i)]);
const ys = xs.map(([a, b]) => [a * b > 0 ? 1 : 0]);
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, activation: 'tanh' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
await ferry.fit(model, tf.tensor2d(xs), tf.tensor2d(ys), { epochs, verbose: 0 });`,
  `await ferry.logModel(model, { sampleInput: xs.slice(0, 2), featureNames: ['a', 'b'] });`,
];

test('the run page shows params, a metric chart, the model version and the notebook version; runs list, trainings panel and review link to it', async () => {
  const owner = await ownerSession(suite.server, 'ada@example.test');
  const { notebookId, cellIds } = await notebookWith(suite.server, owner, CELLS, 'Runs page');
  const api = owner.api;
  assert.equal((await api.post(`/api/notebooks/${notebookId}/run`, {})).status, 202);
  let runId = '';
  await eventually(
    async () => {
      const runs = (await api.get(`/api/runs?notebookId=${notebookId}`)).json.runs as Array<{ id: string }>;
      runId = runs[0]?.id ?? '';
      return runId !== '' && (await api.get(`/api/runs/${runId}`)).json.artifacts.length > 0;
    },
    90_000,
    'the run and its model',
  );
  const promoted = await api.post(`/api/runs/${runId}/promote`, { modelName: 'runs-page-model' });
  assert.equal(promoted.status, 201, JSON.stringify(promoted.json));
  const versionId = promoted.json.version.id as string;
  const training = await api.post(`/api/notebooks/${notebookId}/cells/${cellIds[2]}/train`, {});
  assert.equal(training.status, 202, JSON.stringify(training.json));
  let trainingRunId = '';
  await eventually(
    async () => {
      const t = (await api.get(`/api/trainings/${training.json.id}`)).json;
      trainingRunId = t.runId ?? '';
      return t.status === 'succeeded';
    },
    90_000,
    'the training',
  );

  const context = await suite.browser.newContext();
  const page = await context.newPage();
  const violations = cspViolations(page);
  await signIn(page, suite.server.url, 'ada@example.test', 'owner-password');

  // From the runs list.
  await page.goto(`${suite.server.url}/w/ml-team/runs`);
  await page.click(`[data-testid=run-link][href$="/runs/${runId}"]`);
  await page.waitForSelector('[data-testid=run-page] [data-testid=run-params]');
  assert.ok(page.url().endsWith(`/w/ml-team/runs/${runId}`), page.url());
  assert.match(await page.locator('[data-testid=run-name]').innerText(), /Runs page · hyperparameters/);
  const params = await page.locator('[data-testid=run-params]').innerText();
  assert.match(params, /epochs\s+4/);
  assert.match(params, /optimizer\s+adam/);
  await page.waitForSelector('[data-testid=run-metric-chart] svg[data-testid=line-chart] polyline', { state: 'attached' });
  assert.match(await page.locator('[data-testid=run-metrics]').innerText(), /loss/);
  assert.match(await page.locator('[data-testid=run-model-versions]').innerText(), /runs-page-model v1/);
  assert.equal(await page.locator('[data-testid=run-cell]').count(), 3, 'the three cells that logged into the run');
  const versionLink = page.locator('[data-testid=run-notebook-versions] a').first();
  assert.match((await versionLink.getAttribute('href')) ?? '', new RegExp(`/w/ml-team/notebooks/${notebookId}/versions/`));
  await page.screenshot({ path: '/tmp/run-page.png', fullPage: true });

  // Rename and a note, on the page.
  await page.click('text=Rename');
  await page.fill('input[aria-label="run name"]', 'baseline adam');
  await page.click('button:has-text("Save")');
  await page.waitForSelector('[data-testid=run-name] >> text=baseline adam');
  await page.click('text=Edit notes');
  await page.fill('textarea[aria-label="run notes"]', 'Tried **adam** <script>window.__pwned = 1</script>');
  await page.click('text=Save notes');
  await page.waitForSelector('[data-testid=run-note] strong >> text=adam');
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'notes run no script');

  // The notebook version opens read-only.
  await versionLink.click();
  await page.waitForURL(/\/versions\//);

  // From the trainings panel.
  await page.goto(`${suite.server.url}/w/ml-team/notebooks/${notebookId}`);
  await page.click('[data-testid=training-run-link]');
  await page.waitForSelector('[data-testid=run-training]');
  assert.ok(page.url().endsWith(`/runs/${trainingRunId}`), page.url());

  // From the registry's review of the promoted version.
  await page.goto(`${suite.server.url}/w/ml-team/models/versions/${versionId}`);
  // The review shows the run's params, final and best metrics and their charts.
  await page.waitForSelector('[data-testid=run-metric-chart] svg[data-testid=line-chart] polyline', { state: 'attached' });
  assert.match(await page.locator('text=/loss = .* best .*\\(min\\)/').first().innerText(), /best/);
  await page.click('[data-testid=lineage-run]');
  await page.waitForSelector('[data-testid=run-params]');
  assert.ok(page.url().endsWith(`/runs/${runId}`), page.url());
  assert.deepEqual(violations, []);
  await context.close();
});
