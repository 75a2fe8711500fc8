import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { ROOT } from '../../local/stack.ts';
import { findBrowser } from './find-browser.ts';

/** Without the background-networking flags Chromium keeps calling Google services the closed network refuses. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SCREENSHOTS = join(ROOT, '.artifacts', 'screenshots');

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page, so a test can insist there were none. */
  pageErrors: Error[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile (empty storage), bounded in time; `close` removes the profile. */
export async function openBrowser(
  options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'chat-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    // An installed Chromium, Chrome or Edge: a test tool never downloads a browser here.
    executablePath: findBrowser(),
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1100, height: 760 },
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return {
    context,
    page,
    pageErrors,
    close: async () => {
      await Promise.race([context.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Closes the browsers and returns their uncaught page errors' messages, so a test can insist there were none. */
export async function closeBrowsers(...sessions: Array<BrowserSession | undefined>): Promise<string[]> {
  const open = sessions.filter((session): session is BrowserSession => session !== undefined);
  const errors = open.flatMap((session) => session.pageErrors.map((error) => error.message));
  await Promise.all(open.map((session) => session.close()));
  return errors;
}

/** Saves a screenshot under .artifacts/screenshots/ (kept by CI as a test artifact). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
