import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ownerSession } from '../test/helpers/scenario';
import { startServerProcess, type ServerProcess } from '../test/helpers/server';
import { cspViolations, launchBrowser, signIn } from './helpers';

// JupyterLab keys on a 6-cell imported notebook, and rich outputs from an imported .ipynb.

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

const code = (source: string, outputs: unknown[] = []) => ({ cell_type: 'code', source, metadata: {}, outputs, execution_count: null });

test('Shift+Enter in cell 1 runs it and selects cell 2; Esc, d d deletes the focused cell', async () => {
  const owner = await ownerSession(server, 'ada@example.test');
  const cells = Array.from({ length: 6 }, (_, i) => code(`console.log('cell ${i + 1}')`));
  const res = await owner.api.post('/api/notebooks/import', {
    name: 'Six',
    ipynb: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells },
  });
  assert.ok(res.status < 300, JSON.stringify(res.json));
  const id = (res.json.notebook?.id ?? res.json.id) as string;
  const page = await (await browser.newContext()).newPage();
  const violations = cspViolations(page);
  await signIn(page, server.url, 'ada@example.test', 'owner-password');
  await page.goto(`${server.url}/w/ml-team/notebooks/${id}`);
  await page.waitForSelector('[data-testid=connection-state] >> text=connected');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=cell] .monaco-editor').length === 6);
  const cell = page.locator('[data-testid=cell]');
  await cell.nth(0).locator('.view-lines').click();
  await page.keyboard.press('Shift+Enter');
  await page.waitForSelector('[data-testid=cell-output] >> text=cell 1', { timeout: 90_000 });
  assert.equal(
    await cell
      .nth(0)
      .locator('[data-testid=cell-output]')
      .innerText()
      .then((t) => t.includes('cell 1')),
    true,
  );
  assert.equal(await cell.nth(5).locator('[data-testid=cell-output]').count(), 0, 'cell 6 did not run');
  assert.equal(await cell.nth(1).getAttribute('data-selected'), 'true');
  const second = await cell.nth(1).getAttribute('data-cell-id');
  await page.keyboard.press('Escape');
  await page.keyboard.press('d');
  await page.keyboard.press('d');
  await page.waitForFunction((cid) => !document.querySelector(`[data-cell-id="${cid}"]`), second);
  assert.equal(await cell.count(), 5);
  await page.screenshot({ path: '/tmp/ux-keys.png', fullPage: true });
  assert.deepEqual(violations, []);
});
