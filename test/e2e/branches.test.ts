import { afterEach, describe, expect, inject, it } from 'vitest';
import { type BrowserSession, closeBrowsers, openBrowser, saveScreenshot } from '../support/browser.ts';
import { chatPage } from './chat-page.ts';

const webUrl = inject('webUrl');

let browser: BrowserSession | undefined;

afterEach(async () => {
  const errors = await closeBrowsers(browser);
  browser = undefined;
  expect(errors).toEqual([]);
});

/** A route's first call starts its handler cold in serverless-offline: slow on a loaded machine. */
const SERVER = { timeout: 45_000 };

const SIZES = [
  { name: 'desktop', viewport: { width: 1100, height: 760 } },
  { name: 'phone', viewport: { width: 390, height: 780 } },
] as const;

describe.each(SIZES)('branches on a $name screen', ({ name, viewport }) => {
  it('regenerates, edits a question, navigates the versions; a reload keeps the branch shown', {
    timeout: 300_000,
  }, async () => {
    browser = await openBrowser({ viewport });
    const { page } = browser;
    const chat = chatPage(page);
    await chat.open(`${webUrl}?user=branches-${name}-${crypto.randomUUID().slice(0, 8)}`);

    await chat.ask('Hello ferns');
    await chat.waitForAnswerEnd();
    await chat.ask('Tell me about mosses');
    await chat.waitForAnswerEnd();
    const firstAnswer = await chat.lastAnswerText();

    // Regenerate the last answer: a different one, and the question shows < 2/2 >.
    await chat.lastAnswer.getByRole('button', { name: 'Regenerate answer' }).click();
    await chat.lastAnswer.getByText('Take 2:').waitFor(SERVER);
    await chat.waitForAnswerEnd();
    const versions = chat.questions.last().getByRole('group', { name: 'Version 2 of 2' });
    await versions.waitFor(SERVER);

    // Back to the first answer with the keyboard.
    await versions.getByRole('button', { name: 'Previous version' }).focus();
    await page.keyboard.press('Enter');
    await chat.questions.last().getByRole('group', { name: 'Version 1 of 2' }).waitFor(SERVER);
    await expect.poll(() => chat.lastAnswerText(), SERVER).toBe(firstAnswer);

    // Edit the first question in place: the conversation continues from the edited one.
    await chat.questions.first().getByRole('button', { name: 'Edit question' }).click();
    const editor = page.getByRole('textbox', { name: 'Edit your question' });
    await editor.fill('Hello lichens');
    await page.getByRole('button', { name: 'Save & send' }).click();
    await chat.waitForAnswerEnd();
    await expect.poll(() => chat.questions.count(), SERVER).toBe(1);
    await chat.questions.first().getByText('Hello lichens').waitFor(SERVER);
    await chat.questions.first().getByRole('group', { name: 'Version 2 of 2' }).waitFor(SERVER);
    await saveScreenshot(page, `branches-edited-${name}`);

    // Back to the first version: the mosses and both of their answers are there again.
    await chat.questions.first().getByRole('button', { name: 'Previous version' }).click();
    await chat.questions.first().getByText('Hello ferns').waitFor(SERVER);
    await expect.poll(() => chat.questions.count(), SERVER).toBe(2);
    await chat.questions.last().getByRole('group', { name: 'Version 1 of 2' }).waitFor(SERVER);
    await saveScreenshot(page, `branches-${name}`);

    // A reload shows the same branch.
    await page.reload();
    await page.getByText('Connected', { exact: true }).waitFor(SERVER);
    await chat.questions.last().getByText('Tell me about mosses').waitFor(SERVER);
    await chat.questions.first().getByRole('group', { name: 'Version 1 of 2' }).waitFor(SERVER);
    await chat.questions.last().getByRole('group', { name: 'Version 1 of 2' }).waitFor(SERVER);
    expect(await chat.lastAnswerText()).toBe(firstAnswer);
  });
});
