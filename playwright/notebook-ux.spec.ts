import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownerSession } from '../test/helpers/scenario';
import { browserSuite, cspViolations, signIn } from './helpers';

// JupyterLab keys on a 6-cell imported notebook, and rich outputs from an imported .ipynb.

const suite = browserSuite({ db: 'pglite' });

const code = (source: string, outputs: unknown[] = []) => ({ cell_type: 'code', source, metadata: {}, outputs, execution_count: null });

test('Shift+Enter in cell 1 runs it and selects cell 2; Esc, d d deletes the focused cell', async () => {
  const owner = await ownerSession(suite.server, 'ada@example.test');
  const cells = Array.from({ length: 6 }, (_, i) => code(`console.log('cell ${i + 1}')`));
  const res = await owner.api.post('/api/notebooks/import', {
    name: 'Six',
    ipynb: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells },
  });
  assert.ok(res.status < 300, JSON.stringify(res.json));
  const id = (res.json.notebook?.id ?? res.json.id) as string;
  const page = await (await suite.browser.newContext()).newPage();
  const violations = cspViolations(page);
  await signIn(page, suite.server.url, 'ada@example.test', 'owner-password');
  await page.goto(`${suite.server.url}/w/ml-team/notebooks/${id}`);
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

test('rich outputs: Vega-Lite renders a chart, HTML renders in a sandboxed iframe, rows render as a table; scripts in outputs, markdown and names never run in the app', async () => {
  const owner = await apiClientFor();
  const vegaLite = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    data: {
      values: [
        { x: 1, y: 2 },
        { x: 2, y: 5 },
        { x: 3, y: 3 },
      ],
    },
    mark: 'line',
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
  };
  const xss =
    '<img src=x onerror="window.top.__pwned=1;window.parent.__pwned=1"><script>window.parent.__pwned=2;window.top.__pwned=2</script>';
  const cells = [
    // Outputs of an .ipynb written elsewhere (as Jupyter stores them) render as their MIME type.
    code('# from Jupyter', [
      {
        output_type: 'display_data',
        data: { 'application/vnd.vegalite.v5+json': vegaLite, 'text/plain': '<VegaLite 5 object>' },
        metadata: {},
      },
    ]),
    code('# html', [
      { output_type: 'display_data', data: { 'text/html': `<b id="bold">bold html</b>${xss}`, 'text/plain': 'html' }, metadata: {} },
    ]),
    { cell_type: 'markdown', source: `# Notes <script>window.__pwned=3</script> <img src=x onerror="window.__pwned=4">`, metadata: {} },
    // The TypeScript kernel's display() produces the same bundles.
    code("display([{ city: 'Oslo', temp: 3.5 }, { city: 'Lima', temp: 19 }, { city: 'Cairo', temp: 28.25 }]);"),
  ];
  const res = await owner.api.post('/api/notebooks/import', {
    name: `Outputs <img src=x onerror="window.__pwned=5">`,
    ipynb: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells },
  });
  assert.ok(res.status < 300, JSON.stringify(res.json));
  const id = (res.json.notebook?.id ?? res.json.id) as string;
  const page = await (await suite.browser.newContext()).newPage();
  await signIn(page, suite.server.url, 'ada@example.test', 'owner-password');
  await page.goto(`${suite.server.url}/w/ml-team/notebooks/${id}`);
  await page.waitForSelector('[data-testid=connection-state] >> text=connected');

  await page.waitForSelector('[data-testid=output-vega] svg, [data-testid=output-vega] canvas', { timeout: 30_000 });
  const frame = page.locator('[data-testid=output-html] iframe, iframe[data-testid=output-html]').first();
  await frame.waitFor();
  const sandbox = (await frame.getAttribute('sandbox')) ?? '';
  assert.ok(sandbox.split(/\s+/).includes('allow-scripts'), `sandbox="${sandbox}"`);
  assert.ok(!sandbox.includes('allow-same-origin'), 'the HTML output has an origin of its own');
  const inner = page.frameLocator('[data-testid=output-html] iframe, iframe[data-testid=output-html]').first();
  assert.equal(await inner.locator('#bold').innerText(), 'bold html');

  // The TypeScript cell runs and its rows become a table.
  await page.locator('[data-testid=cell]').nth(3).locator('.view-lines').click();
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('[data-testid=output-table] [data-testid=table-row]', { timeout: 90_000 });
  assert.equal(await page.locator('[data-testid=output-table] [data-testid=table-row]').count(), 3);
  assert.deepEqual(
    await page
      .locator('[data-testid=output-table] [data-testid=table-header]')
      .allInnerTexts()
      .then((h) => h.map((t) => t.split(/\s/)[0])),
    ['city', 'temp'],
  );

  await page.waitForTimeout(1000);
  assert.equal(
    await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    undefined,
    'no script ran in the app’s origin',
  );
  assert.match(await page.locator('[data-testid=notebook-title]').innerText(), /Outputs <img/, 'a name is text, not markup');
  await page.screenshot({ path: '/tmp/ux-outputs.png', fullPage: true });
});

async function apiClientFor() {
  const { apiClient } = await import('../test/helpers/server');
  const api = apiClient(suite.server.url);
  const signedIn = await api.post('/api/auth/sign-in', { email: 'ada@example.test', password: 'owner-password' });
  assert.equal(signedIn.status, 200);
  return { api };
}

test('restore of a named version brings back every output', async () => {
  const { api } = await apiClientFor();
  const stream = (text: string) => ({ output_type: 'stream', name: 'stdout', text });
  const cells = [
    { ...code("console.log('alpha')", [stream('alpha output\n')]), execution_count: 1 },
    {
      ...code('41 + 1', [{ output_type: 'execute_result', execution_count: 2, data: { 'text/plain': '42' }, metadata: {} }]),
      execution_count: 2,
    },
  ];
  const res = await api.post('/api/notebooks/import', {
    name: 'Kept outputs',
    ipynb: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells },
  });
  assert.ok(res.status < 300, JSON.stringify(res.json));
  const id = (res.json.notebook?.id ?? res.json.id) as string;
  const page = await (await suite.browser.newContext()).newPage();
  await signIn(page, suite.server.url, 'ada@example.test', 'owner-password');
  await page.goto(`${suite.server.url}/w/ml-team/notebooks/${id}`);
  await page.waitForSelector('[data-testid=connection-state] >> text=connected');
  await page.waitForSelector('[data-testid=cell-output] >> text=alpha output');
  await page.waitForSelector('[data-testid=cell-output] >> text=42');

  await page.click('[data-testid=save-version]');
  await page.fill('[data-testid=dialog-field-name]', 'with outputs');
  await page.click('[data-testid=dialog-confirm]');
  await page.waitForSelector('[data-testid=version-row] >> text=with outputs');

  // Each clear removes its own output (and button): clear the first until none is left.
  for (let left = 2; left > 0; left--) {
    await page.locator('[data-testid=clear-output]').first().click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=cell-output]').length === n - 1, left);
  }
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=cell-output]').length === 0);

  await page.locator('[data-testid=version-row]', { hasText: 'with outputs' }).locator('[data-testid=restore-version]').click();
  await page.click('[data-testid=dialog-confirm]');
  await page.waitForSelector('[data-testid=cell-output] >> text=alpha output');
  await page.waitForSelector('[data-testid=cell-output] >> text=42');
  assert.equal(await page.locator('[data-testid=cell-output]').count(), 2, 'every output is back');
});
