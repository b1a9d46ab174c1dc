import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { cellsOf, cellSource, cellToData } from '../core/notebook/notebook-doc';
import { connectCollab, eventually } from '../test/helpers/collab-client';
import { addUser, ownerSession } from '../test/helpers/scenario';
import { apiClient, startServerProcess, type ServerProcess } from '../test/helpers/server';
import { cspViolations, launchBrowser, signIn } from './helpers';

// Two browser contexts type into the same cell at the same moment and end with the same text, which
// is also the stored one; each sees the other's avatar and cursor; a viewer can change nothing.

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

const violations: string[][] = [];

async function signedIn(email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  violations.push(cspViolations(page));
  await signIn(page, server.url, email, password);
  return page;
}

const editorText = async (page: Page) =>
  (await page.locator('[data-testid=cell-editor] .view-lines').first().innerText()).replace(/\u00a0/g, ' ').replace(/\n+$/, '');

test('two people type in one cell at once and end identical; presence and cursors; a viewer changes nothing', async () => {
  const owner = await ownerSession(server, 'ada@example.test');
  await addUser(server, { email: 'bob@example.test', role: 'editor' });
  await addUser(server, { email: 'cy@example.test', role: 'viewer' });
  const notebookId = (await owner.api.post('/api/notebooks', { name: 'Pairing' })).json.id as string;
  const url = `${server.url}/w/ml-team/notebooks/${notebookId}`;

  const ada = await signedIn('ada@example.test', 'owner-password');
  const bob = await signedIn('bob@example.test', 'member-password');
  for (const page of [ada, bob]) {
    await page.goto(url);
    await page.waitForSelector('[data-testid=connection-state] >> text=connected');
    await page.waitForSelector('[data-testid=cell-editor] .monaco-editor');
  }
  await ada.waitForSelector('[data-testid=presence-avatar]');
  await bob.waitForSelector('[data-testid=presence-avatar]');

  for (const page of [ada, bob]) await page.click('[data-testid=cell-editor] .view-lines');
  // Both type 40 characters into the same line at the same time.
  await Promise.all([ada.keyboard.type('a'.repeat(40), { delay: 15 }), bob.keyboard.type('b'.repeat(40), { delay: 15 })]);
  await eventually(
    async () => {
      const [x, y] = [await editorText(ada), await editorText(bob)];
      return x === y && x.replace(/[^a]/g, '').length === 40 && x.replace(/[^b]/g, '').length === 40;
    },
    15_000,
    'both editors to show the same 80 characters',
  );
  const shown = await editorText(ada);
  const stored = connectCollab(server.url, notebookId, owner.token);
  await stored.synced();
  assert.equal(cellSource(cellsOf(stored.doc).get(0)), shown, 'what both see is what the server holds');

  // Each sees the other's caret, in the other's colour.
  await ada.waitForSelector('.yRemoteSelectionHead', { state: 'attached' });
  await bob.waitForSelector('.yRemoteSelectionHead', { state: 'attached' });
  const label = await ada.evaluate(() => getComputedStyle(document.querySelector('.yRemoteSelectionHead')!, '::after').content);
  assert.match(label, /bob/i, `Ada sees Bob's name on his caret: ${label}`);

  // Bob comments on the cell; Ada sees the comment count and the thread, and resolves it.
  await bob.click('[data-testid=comments-toggle]');
  await bob.fill('[data-testid=comment-input]', 'shall we use a longer line?');
  await bob.click('[data-testid=add-comment]');
  await ada.waitForSelector('[data-testid=comments-toggle] >> text=1', { timeout: 10_000 });
  await ada.click('[data-testid=comments-toggle]');
  await ada.waitForSelector('[data-testid=comment] >> text=shall we use a longer line?');
  await ada.click('[data-testid=resolve-comment]');
  // Resolved: the count goes (the icon is an SVG, no emoji glyph a browser may lack).
  await bob.waitForFunction(
    () => (document.querySelector('[data-testid=comments-toggle]') as HTMLElement | null)?.innerText.trim() === '',
    undefined,
    { timeout: 10_000 },
  );
  assert.equal(await bob.locator('[data-testid=comments-toggle] svg').count(), 1);

  // The viewer sees it live, marked read-only, and nothing typed there reaches anyone.
  const cy = await signedIn('cy@example.test', 'member-password');
  await cy.goto(url);
  await cy.waitForSelector('[data-testid=connection-state] >> text=connected');
  await cy.waitForSelector('text=read-only');
  await eventually(async () => (await editorText(cy)) === shown, 10_000, 'the viewer to see the cell');
  await cy.click('[data-testid=cell-editor] .view-lines');
  await cy.keyboard.type('hacked', { delay: 10 });
  await cy.waitForTimeout(1000);
  assert.equal(await editorText(cy), shown, 'the viewer’s editor is read-only');
  assert.equal(await cy.locator('[data-testid=run-cell]').count(), 0, 'no run button for a viewer');
  assert.equal(cellSource(cellsOf(stored.doc).get(0)), shown);
  assert.equal(await editorText(ada), shown);
  stored.destroy();
});

test('the editor knows the kernel globals: ferry helpers type-check, a misspelt helper is flagged', async () => {
  const api = await signInApi();
  const notebookId = (await api.post('/api/notebooks', { name: 'Types' })).json.id as string;
  const page = await signedIn('ada@example.test', 'owner-password');
  await page.goto(`${server.url}/w/ml-team/notebooks/${notebookId}`);
  await page.waitForSelector('[data-testid=connection-state] >> text=connected');
  await page.waitForSelector('[data-testid=cell-editor] .monaco-editor');
  await page.click('[data-testid=cell-editor] .view-lines');
  await page.keyboard.insertText(
    "const d = await ferry.useDataset('churn@1');\nferry.logMetric('rows', d.rows.length);\nferry.logMetrik('oops', 1);\n",
  );
  const markers = async () =>
    page.evaluate(() =>
      (
        globalThis as unknown as { monaco: { editor: { getModelMarkers(f: object): Array<{ message: string; startLineNumber: number }> } } }
      ).monaco.editor
        .getModelMarkers({})
        .map((m) => `${m.startLineNumber}: ${m.message}`),
    );
  await eventually(
    async () => (await markers()).some((m) => m.includes('logMetrik')),
    20_000,
    'the language service to flag the misspelt helper',
  );
  const all = await markers();
  assert.deepEqual(
    all.filter((m) => !m.startsWith('3:')),
    [],
    `only the misspelt call is flagged: ${all.join(' | ')}`,
  );
  await page.close();
});

async function signInApi() {
  const api = apiClient(server.url);
  await api.post('/api/auth/sign-in', { email: 'ada@example.test', password: 'owner-password' });
  return api;
}

test('keyboard: Esc leaves the editor, b adds a cell below (and selects it), ↑ back, m makes markdown, Alt+↓ moves the cell', async () => {
  const api = await signInApi();
  const notebookId = (await api.post('/api/notebooks', { name: 'Keys' })).json.id as string;
  const page = await signedIn('ada@example.test', 'owner-password');
  await page.goto(`${server.url}/w/ml-team/notebooks/${notebookId}`);
  await page.waitForSelector('[data-testid=connection-state] >> text=connected');
  await page.waitForSelector('[data-testid=cell-editor] .monaco-editor');
  await page.click('[data-testid=cell-editor] .view-lines');
  await page.keyboard.insertText('# Notes');
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=cell]').length === 2);
  // As in JupyterLab, the new cell is selected: go back up to the first one.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('m');
  await page.keyboard.press('Alt+ArrowDown');
  const token = (await api.post('/api/tokens', { name: 'keys' })).json.token as string;
  const client = connectCollab(server.url, notebookId, token);
  await client.synced();
  await eventually(
    () => {
      const cells = cellsOf(client.doc).toArray().map(cellToData);
      return cells.length === 2 && cells[1]!.cell_type === 'markdown' && cells[1]!.source === '# Notes' && cells[0]!.source === '';
    },
    10_000,
    'the new cell above and the markdown cell moved below it',
  );
  client.destroy();
  await page.close();
});

test('no page broke the Content-Security-Policy (Next.js, Monaco, presence, websocket)', () => {
  assert.deepEqual(violations.flat(), []);
});
