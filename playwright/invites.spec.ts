import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../test/helpers/collab-client';
import { connectCollab } from '../test/helpers/collab-client';
import { cellsOf, cellSource } from '../core/notebook/notebook-doc';
import { ownerSession } from '../test/helpers/scenario';
import { browserSuite, cspViolations, signIn } from './helpers';

// A team built from the browser: the owner invites a colleague from the workspace page and copies the
// link; the colleague opens it, sets a name and password, lands in the workspace and edits a notebook.

const suite = browserSuite({ db: 'pglite' });

test('invite link → a new user signs up and edits as editor', async () => {
  const owner = await ownerSession(suite.server, 'ada@example.test');
  const notebookId = (await owner.api.post('/api/notebooks', { name: 'Team notebook' })).json.id as string;

  const ownerContext = await suite.browser.newContext();
  const page = await ownerContext.newPage();
  const violations = cspViolations(page);
  await signIn(page, suite.server.url, 'ada@example.test', 'owner-password');
  await page.goto(`${suite.server.url}/w/ml-team`);
  await page.fill('input[aria-label="invite email"]', 'grace@example.test');
  await page.selectOption('select[aria-label="invite role"]', 'editor');
  await page.click('[data-testid=invite-submit]');
  const link = await page.locator('[data-testid=invite-link] input').inputValue();
  assert.match(link, /\/invite\/finv_/);
  assert.match(await page.locator('[data-testid=invites]').innerText(), /grace@example\.test · editor/);
  await page.screenshot({ path: '/tmp/invite-owner.png', fullPage: true });

  const guestContext = await suite.browser.newContext();
  const guest = await guestContext.newPage();
  const guestViolations = cspViolations(guest);
  await guest.goto(link);
  await guest.waitForSelector('text=You are invited as');
  assert.match(await guest.locator('[data-testid=invite-form]').innerText(), /editor.*grace@example\.test/s);
  await guest.fill('input[name=name]', 'Grace Hopper');
  await guest.fill('input[name=password]', 'compilers all the way');
  await guest.fill('input[name=confirm]', 'compilers all the way');
  await guest.screenshot({ path: '/tmp/invite-guest.png', fullPage: true });
  await guest.click('button:has-text("Join")');
  await guest.waitForURL(/\/w\/ml-team$/);

  // The link's origin is the server's public URL: the guest stays on it (their session cookie is there).
  await guest.goto(`${new URL(link).origin}/w/ml-team/notebooks/${notebookId}`);
  await guest.waitForSelector('[data-testid=connection-state] >> text=connected');
  await guest.waitForSelector('[data-testid=cell-editor] .monaco-editor');
  assert.equal(await guest.locator('text=read-only').count(), 0, 'an editor, not a viewer');
  await guest.click('[data-testid=cell-editor] .view-lines');
  await guest.keyboard.type('// written by Grace', { delay: 5 });
  const stored = connectCollab(suite.server.url, notebookId, owner.token);
  await stored.synced();
  await eventually(() => cellSource(cellsOf(stored.doc).get(0)).includes('written by Grace'), 10_000, 'her edit to reach the server');
  stored.destroy();

  // The link worked once.
  const third = await (await suite.browser.newContext()).newPage();
  await third.goto(link);
  await third.waitForSelector('text=already used');
  assert.deepEqual([...violations, ...guestViolations], []);
  await ownerContext.close();
  await guestContext.close();
});
