import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { test as stackTest } from './stack.helpers.js';
import { requireWebBuild } from './web-build.helpers.js';

/** Where Debian puts its Chromium (`apt-get install -y chromium`); CHROMIUM_PATH overrides. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string {
  const given = process.env.CHROMIUM_PATH;
  if (given) {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH=${given} does not exist`);
    return given;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `No Chromium for the browser tests: looked for ${CANDIDATES.join(', ')}. Install Debian's (apt-get install -y chromium; .ci/run does it) or set CHROMIUM_PATH.`,
    );
  }
  return found;
}

export interface TestBrowser {
  /** One browser context on a fresh profile (Playwright takes the profile as `--user-data-dir`). */
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Debian's headless Chromium through playwright-core, with a fresh profile and nothing that talks to
 * the network by itself (no updates, no sync, no QUIC): the page reaches only the gateway.
 */
export async function launchChromium(viewport = { width: 1440, height: 1000 }): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'gw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The test API of browser tests: the file's stack (test/helpers/stack.helpers.ts) and `chromium`,
 * one headless Chromium on a fresh profile per file, closed after the file's last test.
 */
export const browserTest = stackTest.extend(
  'chromium',
  { scope: 'file' },
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its destructuring: none here
  async ({}, { onCleanup }) => {
    const browser = await launchChromium();
    onCleanup(() => browser.close());
    return browser;
  },
);

/**
 * For a file of dashboard tests: the dashboard must be built (web/dist newer than web/), and each test
 * gets a new page of the file's Chromium (`timeoutMs` for its waits), handed to `use` and closed after
 * the test; an uncaught error on the page fails the test.
 */
export function pagePerTest(use: (page: Page) => void, timeoutMs = 30_000): void {
  browserTest.beforeAll(() => {
    requireWebBuild();
  });
  browserTest.beforeEach(async ({ chromium }) => {
    const page = await chromium.context.newPage();
    const pageErrors: string[] = [];
    page.setDefaultTimeout(timeoutMs);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    use(page);
    return async () => {
      if (!page.isClosed()) await page.close();
      expect(pageErrors).toEqual([]);
    };
  });
}
