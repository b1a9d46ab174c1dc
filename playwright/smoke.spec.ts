import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startServerProcess, type ServerProcess } from '../test/helpers/server';
import { cspViolations, launchBrowser } from './helpers';

// Setup page → sign out → sign in → create a workspace and a notebook → see it listed; then the
// notebook opens with a live editor and typed text survives a reload.

let server: ServerProcess;
let browser: Browser;

before(async () => {
  server = await startServerProcess({ db: 'pglite', env: { FERRY_EMBEDDED_WORKERS: '0' } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.dispose();
});

test('first owner, sign in, workspace and notebook', async () => {
  const page = await browser.newPage();
  const violations = cspViolations(page);
  await page.goto(server.url);
  await page.waitForURL('**/setup');
  await page.fill('input[name=name]', 'Ada');
  await page.fill('input[name=email]', 'ada@example.test');
  await page.fill('input[name=password]', 'ada-password');
  await page.fill('input[name=workspaceName]', 'Research');
  await page.click('button[type=submit]');
  await page.waitForURL('**/w/research');

  await page.click('text=Sign out');
  await page.waitForURL('**/sign-in');
  await page.fill('input[name=email]', 'ada@example.test');
  await page.fill('input[name=password]', 'wrong-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('text=wrong email or password');
  await page.fill('input[name=password]', 'ada-password');
  await page.click('button[type=submit]');
  await page.waitForURL('**/w/research');

  // Names are asked in the page (a modal form), not with window.prompt.
  await page.click('[data-testid=create-workspace]');
  await page.fill('[data-testid=dialog-field-name]', 'Vision team');
  await page.click('[data-testid=dialog-confirm]');
  await page.waitForURL('**/w/vision-team');
  await page.fill('[data-testid=new-notebook-name]', 'Churn model');
  await page.click('[data-testid=create-notebook]');
  // Creating a notebook opens it.
  await page.waitForURL('**/w/vision-team/notebooks/*');
  await page.waitForSelector('[data-testid=connection-state] >> text=connected');
  await page.waitForSelector('[data-testid=cell-editor] .monaco-editor');
  await page.click('[data-testid=cell-editor] .view-lines');
  await page.keyboard.type('const answer = 42;');
  await page.waitForTimeout(500);
  await page.reload();
  await page.waitForSelector('[data-testid=cell-editor] .view-lines >> text=const answer = 42;');
  // Renamed from its own page.
  await page.click('[data-testid=rename-notebook]');
  await page.fill('[data-testid=dialog-field-name]', 'Churn model v2');
  await page.click('[data-testid=dialog-confirm]');
  await page.waitForSelector('[data-testid=notebook-title] >> text=Churn model v2');
  // The list says who edited last.
  await page.goto(`${server.url}/w/vision-team`);
  await page.waitForSelector('[data-testid=notebook-item] >> text=Churn model v2');
  assert.equal(await page.locator('[data-testid=notebook-item]').count(), 1);
  assert.match(await page.locator('[data-testid=notebook-updated]').innerText(), /edited .* by Ada/);
  await page.screenshot({ path: `${server.dataDir}/workspace.png` });
  assert.deepEqual(violations, [], 'the pages, Next.js and Monaco run under the CSP');
  await page.close();
});
