import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { type BrowserSession, closeBrowsers, openBrowser, saveScreenshot } from '../support/browser.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';
import { chatPage, wordsOf } from './chat-page.ts';

const webUrl = inject('webUrl');
const stack = inject('stack');

let browser: BrowserSession;
let chat: ReturnType<typeof chatPage>;
/** What the page sent over its sockets, in order. */
let sentActions: string[];
/** The requests of the conversation shown, in order: the sidebar's and the usage's go beside them. */
const conversationActions = () =>
  sentActions.filter((action) => ['getHistory', 'resume', 'sendMessage', 'cancel'].includes(action));

beforeEach(async () => {
  browser = await openBrowser();
  chat = chatPage(browser.page);
  sentActions = [];
  browser.page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => sentActions.push(JSON.parse(String(payload)).action)),
  );
});

afterEach(async () => {
  thawStorage();
  expect(await closeBrowsers(browser)).toEqual([]);
});

/**
 * Storage that hangs: DynamoDB Local stopped (SIGSTOP) holds every call of the stack's handlers until it is
 * continued. The getHistory Lambda then runs into its 10 s timeout, and API Gateway (serverless-offline)
 * answers with its failure frame; a shorter freeze is merely slow storage.
 */
let frozen = false;
function freezeStorage() {
  if (stack.dynamodbPid === undefined) throw new Error('this stack reused a DynamoDB Local it cannot freeze');
  process.kill(stack.dynamodbPid, 'SIGSTOP');
  frozen = true;
}
function thawStorage() {
  if (frozen && stack.dynamodbPid !== undefined) process.kill(stack.dynamodbPid, 'SIGCONT');
  frozen = false;
}

describe('slow storage (issue 19, item 9)', () => {
  it('says Loading… until the conversation is in, and sends a question asked meanwhile once it is', async () => {
    const { page } = browser;
    const marker = uniqueMarker('queued');
    // Kept short: frozen for 10 s, the history's Lambda would time out (the next test).
    freezeStorage();
    await page.goto(webUrl);
    await page.getByText('Loading…', { exact: true }).waitFor();
    await chat.input.fill(`Asked while loading ${marker}`);
    await chat.input.press('Enter');
    await page.getByText(/Waiting to send/).waitFor();
    const connectedMeanwhile = await page.getByText('Connected', { exact: true }).count();
    const sentMeanwhile = [...sentActions];
    thawStorage();

    expect(connectedMeanwhile).toBe(0);
    expect(sentMeanwhile).toEqual(['getHistory']);
    await page.getByText('Connected', { exact: true }).waitFor();
    await expect.poll(() => chat.lastAnswerText(), { timeout: 20_000 }).toContain('Asked while loading');
    await chat.waitForAnswerEnd();
    expect(conversationActions()).toEqual(['getHistory', 'sendMessage']);
    // The sidebar asked for its list once the history had loaded (while it loaded, only getHistory went out).
    expect(sentActions).toContain('listSessions');
    expect(await chat.questions.count()).toBe(1);
    expect(await page.getByText(/Waiting to send/).count()).toBe(0);
    expect(await emulatorCalls(stack.emulatorUrl, marker)).toHaveLength(1);
  });
});

describe('a failing history Lambda (issue 19, item 5)', () => {
  it('says the conversation could not be loaded, loads it on Try again, and loses no question', async () => {
    const { page } = browser;
    freezeStorage();
    await page.goto(webUrl);
    await page.getByText('Loading…', { exact: true }).waitFor();
    await saveScreenshot(page, 'loading');
    await chat.input.fill('Asked before the failure');
    await chat.input.press('Enter');
    await page.getByText(/Waiting to send/).waitFor();
    await saveScreenshot(page, 'loading-with-queued-question');

    // The Lambda's 10 s timeout, then API Gateway's failure frame (the client's own deadline is 15 s).
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    await page.getByText('Your conversation has not loaded.').waitFor();
    expect(await alert.textContent()).toContain('could not be loaded');
    expect(await page.getByText('Loading…', { exact: true }).count()).toBe(0);
    expect(await page.getByText(/Waiting to send/).count()).toBe(1);
    await saveScreenshot(page, 'history-failed');
    thawStorage();

    await alert.getByRole('button', { name: 'Try again' }).click();

    await page.getByText('Connected', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await alert.count()).toBe(0);
    await expect.poll(() => chat.lastAnswerText(), { timeout: 20_000 }).toContain('Asked before the failure');
    expect(conversationActions()).toEqual(['getHistory', 'getHistory', 'sendMessage']);
    // Nothing else went out while the history was failing: the sidebar asked only once it had loaded.
    expect(sentActions.slice(0, 2)).toEqual(['getHistory', 'getHistory']);
  });
});

/**
 * A failed answer and a failed Stop. Their Lambdas fail at load in test/integration/lambda-failure.test.ts, which
 * checks the frame API Gateway sends then; here Playwright answers the page's request with that same frame in
 * place of the server, and the retry goes to the real server.
 */
describe('a failed answer and a failed Stop (issue 19, item 5)', () => {
  let failNext: string | undefined;
  let routedActions: string[];

  beforeEach(async () => {
    failNext = undefined;
    routedActions = [];
    await browser.page.routeWebSocket(/.*/, (socket) => {
      const server = socket.connectToServer();
      socket.onMessage((message) => {
        const { action } = JSON.parse(String(message));
        routedActions.push(action);
        if (action !== failNext) return server.send(message);
        failNext = undefined;
        socket.send(INTERNAL_SERVER_ERROR);
      });
    });
  });

  it('ends the typing dots with a clear message, and answers on Try again', async () => {
    const { page } = browser;
    await chat.open(webUrl);
    failNext = 'sendMessage';

    await chat.ask('Are you there?');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The server failed while answering.');
    expect(await page.getByText('The assistant is thinking').count()).toBe(0);
    await saveScreenshot(page, 'answer-failed');
    await alert.getByRole('button', { name: 'Try again' }).click();

    await expect.poll(() => chat.lastAnswerText(), { timeout: 20_000 }).toContain('Are you there?');
    expect(await chat.questions.count()).toBe(1);
    expect(await alert.count()).toBe(0);
  });

  it('brings Stop back when stopping fails, and stops the answer on Try again', async () => {
    const { page } = browser;
    await chat.open(webUrl);
    await chat.ask('#tokens:400 #pace:25');
    await chat.waitForWords(5);
    failNext = 'cancel';

    await chat.stopButton.click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Stop did not reach the server');
    expect(await chat.stopButton.isEnabled()).toBe(true);
    const words = wordsOf(await chat.lastAnswerText()).length;
    await chat.waitForWords(words + 5); // the answer goes on, as the banner says
    await saveScreenshot(page, 'stop-failed');
    await alert.getByRole('button', { name: 'Try again' }).click();

    await chat.lastAnswer.getByText('Stopped', { exact: true }).waitFor({ timeout: 15_000 });
    expect(wordsOf(await chat.lastAnswerText()).length).toBeLessThan(400);
    expect(routedActions.filter((action) => action === 'cancel')).toHaveLength(2);
  });
});

/** API Gateway's frame when the route's Lambda fails, as serverless-offline and AWS send it. */
const INTERNAL_SERVER_ERROR = JSON.stringify({
  message: 'Internal server error',
  connectionId: 'e2eFailure=',
  requestId: 'e2eRequest=',
});
