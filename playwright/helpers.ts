import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServerProcess, type ServerOptions, type ServerProcess } from '../test/helpers/server';

// Debian's chromium driven by playwright-core: no browser download, and flags that keep it off the
// network (this machine has none, and background requests would each fail).
export const CHROMIUM_PATH = process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Signs in through the sign-in page and waits for the workspace home. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL('**/w/**');
}

/**
 * Collects the page's Content-Security-Policy violations (the console errors Chromium prints for a
 * blocked script, style, worker or connection), so a spec can assert the pages work under the policy.
 */
export function cspViolations(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) found.push(msg.text());
  });
  return found;
}

/**
 * One server and one browser for a spec file, started before its tests and closed after them. Read
 * `suite.server` and `suite.browser` inside tests (they exist once `before` has run).
 */
export function browserSuite(opts: ServerOptions = { db: 'pglite' }): { server: ServerProcess; browser: Browser } {
  const suite = {} as { server: ServerProcess; browser: Browser };
  before(async () => {
    suite.server = await startServerProcess(opts);
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.dispose();
  });
  return suite;
}
