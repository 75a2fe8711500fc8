import type { WebSocketRoute } from 'playwright-core';
import { afterEach, beforeEach, expect, inject, it } from 'vitest';
import { type BrowserSession, openBrowser, saveScreenshot } from '../support/browser.ts';
import { openChat } from '../support/chat-socket.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';
import { chatPage, wordsOf } from './chat-page.ts';

const webUrl = inject('webUrl');
const stack = inject('stack');

let browser: BrowserSession;
/** The server side of every socket the page opened, so the test can cut them. */
const serverSides: WebSocketRoute[] = [];

beforeEach(async () => {
  browser = await openBrowser();
  // Playwright sits between the page's WebSocket and the server; no test hook in the app itself.
  await browser.page.routeWebSocket(/.*/, (socket) => {
    serverSides.push(socket.connectToServer());
  });
});

afterEach(async () => {
  serverSides.length = 0;
  await browser.close();
});

/** The network goes away: open connections break and new ones fail until `restoreNetwork`. */
async function dropNetwork() {
  // Offline emulation alone leaves open WebSockets up, so cut them first. (Pages may close with 1000 or 4xxx.)
  for (const server of serverSides.splice(0)) await server.close({ code: 4000, reason: 'network lost' });
  await browser.context.setOffline(true);
}

const restoreNetwork = () => browser.context.setOffline(false);

/** The words of the answer to `question` asked straight over a WebSocket, with nothing in the way. */
async function uninterruptedAnswer(question: string): Promise<string[]> {
  const socket = await openChat(stack);
  try {
    return wordsOf((await socket.turn(crypto.randomUUID(), question)).text);
  } finally {
    await socket.close();
  }
}

it('continues an answer after the connection drops and comes back, losing and repeating no word', async () => {
  const { page } = browser;
  const chat = chatPage(page);
  const marker = uniqueMarker('reconnect');
  await chat.open(webUrl);
  await chat.ask(`#tokens:300 #pace:20 ${marker}`);
  await chat.waitForWords(20);

  await dropNetwork();

  await page.getByText('Offline, reconnecting…').waitFor();
  await chat.lastAnswer
    .getByRole('status')
    .getByText(/Connection lost/)
    .waitFor();
  await saveScreenshot(page, 'connection-lost');
  await page.waitForTimeout(1_500);
  await restoreNetwork();

  await page.getByText('Connected', { exact: true }).waitFor({ timeout: 20_000 });
  await chat.waitForAnswerEnd(60_000);
  await saveScreenshot(page, 'resumed');

  expect(wordsOf(await chat.lastAnswerText())).toEqual(await uninterruptedAnswer('#tokens:300'));
  expect(await chat.lastAnswer.locator('.stop-note').count()).toBe(0);
  // The server cut the first model stream when the connection went, and continued the answer after `resume`.
  expect((await emulatorCalls(stack.emulatorUrl, marker))[0]?.outcome).toBe('cancelled');
});

it('keeps trying while the network is down, and is usable again once it returns', async () => {
  const { page } = browser;
  const chat = chatPage(page);
  await chat.open(webUrl);

  await dropNetwork();
  await page.getByText('Offline, reconnecting…').waitFor();
  await chat.input.fill('Are you back?');
  expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
  await page.waitForTimeout(3_000); // several attempts fail meanwhile
  await restoreNetwork();

  await page.getByText('Connected', { exact: true }).waitFor({ timeout: 20_000 });
  await chat.waitUntilSendable();
  await chat.input.press('Enter');
  await chat.waitForAnswerEnd();
  expect(await chat.lastAnswerText()).toContain('Are you back?');
});

it('continues an answer after the page is reloaded in the middle of it', async () => {
  const { page } = browser;
  const chat = chatPage(page);
  await chat.open(webUrl);
  await chat.ask('#tokens:250 #pace:20 Reload me');
  await chat.waitForWords(20);

  await page.reload();

  await chat.questions.getByText('#tokens:250 #pace:20 Reload me').waitFor();
  await chat.waitForAnswerEnd(60_000);
  expect(wordsOf(await chat.lastAnswerText())).toEqual(await uninterruptedAnswer('#tokens:250'));
});
