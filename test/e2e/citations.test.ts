import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { type BrowserSession, closeBrowsers, openBrowser, saveScreenshot } from '../support/browser.ts';
import { chatPage } from './chat-page.ts';

const webUrl = inject('webUrl');

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

describe('citations in a real browser', () => {
  it('shows numbered citation chips that move to their source, and a sources list with safe links', async () => {
    const { page } = browser;
    // #cite:9 makes the scripted model also cite a passage it never retrieved: the server drops it.
    await chat.ask('How do I reset my password? #cite:9');
    await chat.waitForAnswerEnd();
    const answer = chat.lastAnswer;

    expect(await answer.getByRole('list', { name: 'Tools used' }).textContent()).toBe('Knowledge base');
    const chips = answer.locator('.answer button.citation');
    const numbers = await chips.allTextContents();
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.every((n) => /^\d+$/.test(n))).toBe(true);
    expect(await answer.locator('.answer').textContent()).not.toMatch(/\[\d+\]|\b9\b/);

    const sources = answer.getByRole('region', { name: 'Sources' });
    const items = sources.getByRole('listitem');
    expect(await items.count()).toBe(new Set(numbers).size);
    const first = sources.getByRole('link').first();
    expect(await first.getAttribute('href')).toMatch(/^https:\/\/docs\.skylark\.example\//);
    expect(await first.getAttribute('target')).toBe('_blank');
    expect(await first.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await items.first().textContent()).toContain('s3://local-knowledge-base/');

    // Keyboard: Tab reaches the chip, Enter moves the focus to its source.
    await chips.first().focus();
    await page.keyboard.press('Enter');
    const focusedId = await page.evaluate(() => document.activeElement?.id ?? '');
    expect(focusedId).toMatch(/^source-.+-\d+$/);
    expect(focusedId.endsWith(`-${numbers[0]}`)).toBe(true);
    // Mouse: a click on the last chip moves there too.
    await chips.last().click();
    expect(await page.evaluate(() => document.activeElement?.id ?? '')).toMatch(
      new RegExp(`-${numbers.at(-1)}$`),
    );
    await saveScreenshot(page, 'citations');

    // After a reload the answer comes back from getHistory with the same sources.
    await page.reload();
    await page.getByText('Connected', { exact: true }).waitFor();
    await chat.lastAnswer.getByRole('region', { name: 'Sources' }).waitFor();
    expect(await chat.lastAnswer.locator('.answer button.citation').allTextContents()).toEqual(numbers);
  });
});
