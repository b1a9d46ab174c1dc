import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { writeFirstCell } from '../test/helpers/lifecycle';
import { eventually } from '../test/helpers/collab-client';
import { addUser, ownerSession } from '../test/helpers/scenario';
import { browserSuite, signIn } from './helpers';

// Remote carets come from Yjs relative positions: each stays on the text it marks while the other
// person types above it or right at it; people in one room wear clearly different colours; a caret
// disappears when its owner leaves the cell.

const suite = browserSuite({ db: 'pglite', env: { FERRY_EMBEDDED_WORKERS: '0' } });

async function signedIn(email: string, password: string): Promise<Page> {
  const page = await (await suite.browser.newContext()).newPage();
  await signIn(page, suite.server.url, email, password);
  return page;
}

/** The text of the line that shows the other person's caret, as this page renders it. */
async function lineWithRemoteCaret(page: Page): Promise<string> {
  const line = page.locator('[data-testid=cell-editor] .view-line:has(.yRemoteSelectionHead)').first();
  return (await line.innerText().catch(() => '')).replace(/\u00a0/g, ' ');
}

test('two users’ carets stay on their text while the other types above them', async () => {
  const owner = await ownerSession(suite.server, 'ada@example.test');
  await addUser(suite.server, { email: 'bob@example.test', role: 'editor' });
  const notebookId = (await owner.api.post('/api/notebooks', { name: 'Carets' })).json.id as string;
  await writeFirstCell(suite.server.url, notebookId, owner.token, 'first line\nada works here\nbob works here');
  const url = `${suite.server.url}/w/ml-team/notebooks/${notebookId}`;
  const ada = await signedIn('ada@example.test', 'owner-password');
  const bob = await signedIn('bob@example.test', 'member-password');
  for (const page of [ada, bob]) {
    await page.goto(url);
    await page.waitForSelector('[data-testid=connection-state] >> text=connected');
    await page.waitForSelector('[data-testid=cell-editor] .monaco-editor');
  }
  // Ada's caret after "ada works here", Bob's after "bob works here".
  await ada.click('[data-testid=cell-editor] .view-line >> text=ada works here');
  await ada.keyboard.press('End');
  await bob.click('[data-testid=cell-editor] .view-line >> text=bob works here');
  await bob.keyboard.press('End');
  await eventually(async () => (await lineWithRemoteCaret(bob)).includes('ada works here'), 10_000, 'Bob to see Ada’s caret');
  await eventually(async () => (await lineWithRemoteCaret(ada)).includes('bob works here'), 10_000, 'Ada to see Bob’s caret');

  // Bob goes to the top and types three lines; Ada's caret must stay on her line in Bob's view.
  await bob.keyboard.press('Control+Home');
  await bob.keyboard.type('inserted by bob\ninserted again\nand again\n', { delay: 10 });
  await eventually(async () => (await lineWithRemoteCaret(bob)).includes('ada works here'), 5_000, 'Ada’s caret to stay with her text');
  // Bob's own caret moved with his typing: it is now before "first line", the text after it.
  await eventually(async () => (await lineWithRemoteCaret(ada)).startsWith('first line'), 5_000, 'Bob’s caret to follow his own typing');
  // Ada types where she is; Bob's caret (now at the top) stays there in her view.
  await ada.keyboard.type(' and more', { delay: 10 });
  await ada.waitForTimeout(300);
  assert.ok((await lineWithRemoteCaret(ada)).startsWith('first line'), 'Bob’s caret does not ride along with Ada’s typing');
  await eventually(
    async () => (await lineWithRemoteCaret(bob)).includes('ada works here and more'),
    5_000,
    'Ada’s caret at the end of her new text',
  );

  // Different colours, far apart.
  const colour = async (page: Page) =>
    page.evaluate(() => {
      const head = document.querySelector('.yRemoteSelectionHead');
      return head ? getComputedStyle(head).borderLeftColor : '';
    });
  const [seenByAda, seenByBob] = [await colour(ada), await colour(bob)];
  assert.ok(seenByAda && seenByBob && seenByAda !== seenByBob, `${seenByAda} vs ${seenByBob}`);

  // Ada leaves the cell: her caret disappears from Bob's view.
  await ada.click('h1, header');
  await eventually(
    async () => (await bob.locator('[data-testid=cell-editor] .yRemoteSelectionHead').count()) === 0,
    5_000,
    'Ada’s caret to go',
  );
  await ada.screenshot({ path: '/tmp/presence.png' });
});
