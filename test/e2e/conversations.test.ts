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
  { name: 'desktop', viewport: { width: 1100, height: 760 }, phone: false },
  { name: 'phone', viewport: { width: 390, height: 780 }, phone: true },
] as const;

describe.each(SIZES)('conversations on a $name screen', ({ name, viewport, phone }) => {
  it('lists two chats, switches between them, renames and deletes one; feedback persists across reload', {
    timeout: 300_000,
  }, async () => {
    browser = await openBrowser({ viewport });
    const { page } = browser;
    const chat = chatPage(page);
    // A user of its own, so the list holds only this test's chats.
    await chat.open(`${webUrl}?user=conversations-${name}-${crypto.randomUUID().slice(0, 8)}`);
    const sidebar = page.getByRole('navigation', { name: 'Conversations' });
    /** On a phone the list is a drawer: open it first. */
    const showChats = async () => {
      if (phone) await page.getByRole('button', { name: 'Chats', exact: true }).click();
      await sidebar.waitFor();
    };

    await chat.ask('How do I reset my password?');
    await chat.waitForAnswerEnd();
    await page.getByRole('button', { name: 'New chat' }).click();
    await chat.ask('What time is it in Tokyo?');
    await chat.waitForAnswerEnd();

    await showChats();
    const rows = sidebar.locator('.session-open');
    await expect.poll(() => rows.count(), SERVER).toBe(2);
    // Each chat is named after its first answer (the scripted model: the question's first six words).
    await sidebar.getByRole('button', { name: 'How do I reset my password', exact: true }).waitFor(SERVER);
    await sidebar.getByRole('button', { name: 'What time is it in Tokyo', exact: true }).waitFor(SERVER);
    await saveScreenshot(page, `conversations-${name}`);

    // Switch to the first chat: its history loads.
    await rows.nth(1).click();
    await chat.questions.first().getByText('How do I reset my password?').waitFor(SERVER);
    expect(await chat.questions.count()).toBe(1);

    // Rate its answer with a comment.
    await chat.lastAnswer.getByRole('button', { name: 'Good answer' }).click();
    await chat.lastAnswer.getByRole('textbox', { name: 'Feedback comment (optional)' }).fill('Clear steps');
    await chat.lastAnswer.getByRole('button', { name: 'Send' }).click();
    await chat.lastAnswer.getByText('“Clear steps”').waitFor(SERVER);

    // Rename it.
    await showChats();
    await sidebar.locator('.session-row[data-current] .icon-button').first().click();
    const nameField = sidebar.getByRole('textbox', { name: 'New name' });
    await nameField.fill('Password help');
    await nameField.press('Enter');
    await sidebar.getByRole('button', { name: 'Password help', exact: true }).waitFor(SERVER);

    // The rating, the comment and the name survive a reload.
    await page.reload();
    await page.getByText('Connected', { exact: true }).waitFor(SERVER);
    await chat.lastAnswer.getByText('“Clear steps”').waitFor(SERVER);
    expect(
      await chat.lastAnswer.getByRole('button', { name: 'Good answer' }).getAttribute('aria-pressed'),
    ).toBe('true');
    await showChats();
    await sidebar.getByRole('button', { name: 'Password help', exact: true }).waitFor(SERVER);
    await saveScreenshot(page, `conversations-renamed-${name}`);

    // Delete the other chat: it leaves the list.
    const other = sidebar.locator('.session-row:not([data-current])');
    await other.locator('.icon-button').last().click();
    await sidebar.getByRole('button', { name: 'Delete', exact: true }).click();
    // The row (asking "Delete?" meanwhile) goes only when the server says the session is deleted.
    await expect.poll(() => sidebar.locator('.session-row').count(), SERVER).toBe(1);
    await page.reload();
    await page.getByText('Connected', { exact: true }).waitFor(SERVER);
    await showChats();
    await expect.poll(() => rows.count(), SERVER).toBe(1);
  });
});
