import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { type BrowserSession, closeBrowsers, openBrowser, saveScreenshot } from '../support/browser.ts';
import { chatPage } from './chat-page.ts';

const webUrl = inject('webUrl');

let browser: BrowserSession;
let chat: ReturnType<typeof chatPage>;

beforeEach(async () => {
  browser = await openBrowser();
  chat = chatPage(browser.page);
  // A user of its own, so no other test sees (or adds to) its memories.
  await chat.open(`${webUrl}?user=memory-${crypto.randomUUID().slice(0, 8)}`);
});

afterEach(async () => {
  expect(await closeBrowsers(browser)).toEqual([]);
});

describe('memory in a real browser', () => {
  it('remembers a fact in a new chat, shows it in the memory panel, and forgets it when deleted there', async () => {
    const { page } = browser;
    await chat.ask('Remember that my favourite colour is teal');
    await chat.waitForAnswerEnd();
    expect(await chat.lastAnswerText()).toContain('I will remember that');

    await page.getByRole('button', { name: 'New chat' }).click();
    await chat.questions.first().waitFor({ state: 'detached' });
    await chat.ask('What is my favourite colour?');
    await chat.waitForAnswerEnd();
    expect(await chat.lastAnswerText()).toContain('teal');
    await saveScreenshot(page, 'memory-new-chat');

    await page.getByRole('button', { name: 'Memory' }).click();
    const panel = page.getByRole('complementary', { name: 'Memory' });
    await panel.getByText('My favourite colour is teal').waitFor();
    await saveScreenshot(page, 'memory-panel');

    await panel.getByRole('button', { name: 'Delete “My favourite colour is teal”' }).click();
    await panel.getByText('Nothing remembered yet.').waitFor();
    await saveScreenshot(page, 'memory-panel-empty');

    await page.getByRole('button', { name: 'Close memory' }).click();
    await chat.ask('What is my favourite colour?');
    await chat.waitForAnswerEnd();
    expect(await chat.lastAnswerText()).not.toContain('teal');
  });
});
