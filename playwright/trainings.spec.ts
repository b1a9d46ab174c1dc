import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { writeFirstCell } from '../test/helpers/lifecycle';
import { ownerSession } from '../test/helpers/scenario';
import { startServerProcess, type ServerProcess } from '../test/helpers/server';
import { launchBrowser, signIn } from './helpers';

// A training started from the notebook runs in the background: its row shows the worker, epochs and
// the end, even after the page that started it is closed; the Workers page shows the fleet.

let server: ServerProcess;
let browser: Browser;

before(async () => {
  server = await startServerProcess({ db: 'pglite' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.dispose();
});

test('train in background from a cell, close the tab, see it finish; the workers page lists the worker', async () => {
  const owner = await ownerSession(server, 'ada@example.test');
  const notebookId = (await owner.api.post('/api/notebooks', { name: 'Background' })).json.id as string;
  await writeFirstCell(
    server.url,
    notebookId,
    owner.token,
    `const xs = tf.randomNormal([128, 4]);
const ys = xs.sum(1, true).greater(0).cast('float32');
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 1, activation: 'sigmoid' })] });
model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
await ferry.fit(model, xs, ys, { epochs: 8, verbose: 0, callbacks: { onEpochEnd: () => new Promise((r) => setTimeout(r, 300)) } });`,
  );

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server.url, 'ada@example.test', 'owner-password');
  await page.goto(`${server.url}/w/ml-team/notebooks/${notebookId}`);
  await page.waitForSelector('[data-testid=connection-state] >> text=connected');
  await page.click('[data-testid=train-cell]');
  await page.click('[data-testid=dialog-confirm]');
  await page.waitForSelector('[data-testid=training-row]');
  await page.waitForSelector('[data-testid=training-status] >> text=running', { timeout: 60_000 });
  await page.close();

  // Nobody watches: the training goes on.
  const later = await context.newPage();
  await later.goto(`${server.url}/w/ml-team/notebooks/${notebookId}`);
  await later.waitForSelector('[data-testid=training-status] >> text=succeeded', { timeout: 90_000 });
  assert.match(await later.locator('[data-testid=training-row]').first().innerText(), /8\/8/);

  await later.goto(`${server.url}/w/ml-team/workers`);
  await later.waitForSelector('[data-testid=worker-row]');
  assert.match(await later.locator('[data-testid=worker-row]').first().innerText(), /embedded/);
  assert.match(await later.locator('[data-testid=worker-sandbox]').first().innerText(), /^sandboxed \(bubblewrap, uid /);
  await context.close();
});
