import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { type BrowserSession, closeBrowsers, openBrowser, saveScreenshot } from '../support/browser.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';
import { chatPage, wordsOf } from './chat-page.ts';

const webUrl = inject('webUrl');
const stack = inject('stack');

let browser: BrowserSession;
let chat: ReturnType<typeof chatPage>;

beforeEach(async () => {
  browser = await openBrowser();
  chat = chatPage(browser.page);
  await chat.open(webUrl);
});

afterEach(async () => {
  expect(await closeBrowsers(browser)).toEqual([]);
});

describe('the chat in a real browser', () => {
  it('shows a typing indicator, then streams the answer word by word', async () => {
    const { page } = browser;
    await chat.ask('#tokens:30 #pace:100 Tell me about streaming');

    await page.getByText('The assistant is thinking').waitFor({ state: 'attached' });
    const lengthsSeen = new Set<number>();
    while (await chat.stopButton.isVisible()) {
      lengthsSeen.add((await chat.lastAnswerText()).length);
      if (lengthsSeen.size === 4) await saveScreenshot(page, 'streaming');
      await page.waitForTimeout(100);
    }
    await chat.waitForAnswerEnd();

    expect(wordsOf(await chat.lastAnswerText())).toHaveLength(30);
    // The answer grew in steps while it streamed, rather than appearing at once.
    expect([...lengthsSeen].filter((length) => length > 0).length).toBeGreaterThanOrEqual(3);
    expect(await page.getByText('The assistant is thinking').count()).toBe(0);
  });

  it('shows which tools answered, and the answers as Markdown', async () => {
    const { page } = browser;
    await chat.ask('How do I reset my password?');
    await chat.waitForAnswerEnd();
    await chat.ask('What time is it in Tokyo?');
    await chat.waitForAnswerEnd();

    const [passwordAnswer, timeAnswer] = [chat.answers.nth(0), chat.answers.nth(1)];
    expect(await passwordAnswer.getByRole('list', { name: 'Tools used' }).textContent()).toBe(
      'Knowledge base',
    );
    expect(await passwordAnswer.locator('.answer li').count()).toBeGreaterThan(0);
    expect(await timeAnswer.getByRole('list', { name: 'Tools used' }).textContent()).toBe('Clock');
    expect(await timeAnswer.locator('.answer strong').textContent()).toMatch(/\d/);
    await saveScreenshot(page, 'tool-answers');
    await page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(page, 'tool-answers-dark');
  });

  it('shows the status line while a tool runs, naming the tool', async () => {
    // #pace slows the model's answer after the tool, so the status stays up long enough to read.
    await chat.ask('Where is the billing-api? #pace:400');

    const status = chat.lastAnswer.getByRole('status');
    await status.getByText('Looking up resource…').waitFor();
    expect(await status.textContent()).toContain('lookup_resource');
    await saveScreenshot(browser.page, 'tool-status');
    await chat.stopButton.click(); // the rest of the answer is not what this test is about
    await chat.waitForAnswerEnd();
    // The chip names the tool in words; its tooltip keeps the tool's name.
    const toolsUsed = chat.lastAnswer.getByRole('list', { name: 'Tools used' });
    expect(await toolsUsed.textContent()).toBe('Resource catalogue');
    expect(await toolsUsed.getByRole('listitem').getAttribute('title')).toBe('lookup_resource');
  });

  it('keeps the conversation across a reload', async () => {
    await chat.ask('Hello there, remember me?');
    await chat.waitForAnswerEnd();
    const answer = await chat.lastAnswerText();

    await browser.page.reload();
    await browser.page.getByText('Connected', { exact: true }).waitFor();

    await chat.questions.getByText('Hello there, remember me?').waitFor();
    expect(await chat.lastAnswerText()).toBe(answer);
    await saveScreenshot(browser.page, 'history-after-reload');
  });

  it('stops a long answer on the server too, and keeps what was said', async () => {
    const { page } = browser;
    const marker = uniqueMarker('stop');
    await chat.ask(`#tokens:400 #pace:20 ${marker}`);
    await chat.waitForWords(10);

    await chat.stopButton.click();

    await chat.lastAnswer.getByText('Stopped', { exact: true }).waitFor();
    const stoppedAt = await chat.lastAnswerText();
    expect(wordsOf(stoppedAt).length).toBeLessThan(400);
    await saveScreenshot(page, 'stopped');
    // The server ended the model stream rather than the page merely hiding the rest.
    await expect
      .poll(async () => (await emulatorCalls(stack.emulatorUrl, marker)).map((call) => call.outcome), {
        timeout: 10_000,
      })
      .toEqual(['cancelled']);
    await page.waitForTimeout(1_000);
    expect(await chat.lastAnswerText()).toBe(stoppedAt);

    await page.reload();
    await chat.lastAnswer.getByText('Stopped', { exact: true }).waitFor();
    expect(await chat.lastAnswerText()).toBe(stoppedAt);
  });

  it('explains a failed answer in plain words and asks again on request', async () => {
    const { page } = browser;
    const marker = uniqueMarker('fail');
    // The emulator breaks the model stream after 3 deltas, every time this question is asked.
    await chat.ask(`Tell me a story #fault:stream-error=3 ${marker}`);

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).not.toMatch(/Error:|at \w+ \(/);
    await saveScreenshot(page, 'error');
    await alert.getByRole('button', { name: 'Try again' }).click();

    await expect
      .poll(async () => (await emulatorCalls(stack.emulatorUrl, marker)).length, { timeout: 15_000 })
      .toBe(2);
    await alert.waitFor();
    expect(await chat.questions.count()).toBe(1);
  });

  it('works with the keyboard alone: Enter, Shift+Enter, the next question drafted while Escape stops the answer', async () => {
    const { page } = browser;
    // The input has focus from the start.
    await page.keyboard.type('First line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('#tokens:300 #pace:20');
    expect(await chat.input.inputValue()).toBe('First line\n#tokens:300 #pace:20');

    await chat.waitUntilSendable();
    await page.keyboard.press('Enter');
    await chat.waitForWords(0);
    // The focus stays in the input: the next question is written while the answer streams.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('Next question');
    await page.keyboard.press('Escape');

    await chat.lastAnswer.getByText('Stopped', { exact: true }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    expect(await chat.input.inputValue()).toBe('Next question');
    // The question as typed (its bubble; Edit sits beside it in the same article).
    expect(await chat.questions.last().locator('.user-text').textContent()).toBe(
      'First line\n#tokens:300 #pace:20',
    );
  });

  it('starts a new chat in a new session on request', async () => {
    const { page } = browser;
    await chat.ask('Something to forget');
    await chat.waitForAnswerEnd();
    const oldSession = await page.evaluate(() => localStorage.getItem('chat.sessionId'));

    await page.getByRole('button', { name: 'New chat' }).click();

    await page.getByRole('heading', { name: 'How can I help?' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('chat.sessionId'))).not.toBe(oldSession);
    await page.reload();
    await page.getByRole('heading', { name: 'How can I help?' }).waitFor();
    expect(await chat.questions.count()).toBe(0);
  });
});
