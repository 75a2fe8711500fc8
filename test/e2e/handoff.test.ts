import { afterEach, describe, expect, inject, it } from 'vitest';
import { type BrowserSession, closeBrowsers, openBrowser, saveScreenshot } from '../support/browser.ts';
import { chatPage } from './chat-page.ts';

/**
 * Issue 16 in two real browsers (two profiles: two people): a user asks for a person and waits in line, an
 * agent sees the conversation arrive in the console without reloading, claims it, replies, and hands it back;
 * the assistant then knows what the agent said.
 */
const webUrl = inject('webUrl');

const browsers: BrowserSession[] = [];
afterEach(async () => {
  expect(await closeBrowsers(...browsers.splice(0))).toEqual([]);
});

async function open(path: string) {
  const browser = await openBrowser();
  browsers.push(browser);
  await browser.page.goto(`${webUrl}${path}`);
  return browser.page;
}

describe('handing a conversation to a person, in two browsers', () => {
  it('goes from the user to the agent console and back to the assistant', async () => {
    const user = `ana-${crypto.randomUUID().slice(0, 8)}`;
    const agent = `carol-${crypto.randomUUID().slice(0, 8)}`;
    const agentPage = await open(`agent?user=${agent}&groups=agents`);
    await agentPage.getByText('Live', { exact: true }).waitFor();
    await agentPage.getByText('Nobody is waiting.').waitFor();

    const userPage = await open(`?user=${user}`);
    const chat = chatPage(userPage);
    await userPage.getByText('Connected', { exact: true }).waitFor();
    await chat.ask('Can I talk to a person, please?');
    await chat.waitForAnswerEnd();
    await userPage.getByText(/Waiting for a person \(position \d+\)/).waitFor();
    expect(await chat.lastAnswerText()).toContain('asked a person from our support team to join');
    await saveScreenshot(userPage, 'handoff-user-waiting');

    // The new conversation appears in the console without a reload.
    const entry = agentPage.locator('.agent-entry', { hasText: user });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('user request');
    await entry.getByRole('button', { name: 'Claim' }).click();
    const conversation = agentPage.getByRole('region', { name: 'Conversation' });
    await conversation.getByText("Assistant's summary:").waitFor();
    expect(await conversation.textContent()).toContain('Can I talk to a person, please?');

    await userPage.getByText(`${agent} from support is with you`).waitFor();
    await chat.ask('My invoice INV-7 shows the wrong amount.');
    await conversation.getByText('My invoice INV-7 shows the wrong amount.').waitFor();

    await conversation
      .getByRole('textbox', { name: 'Reply' })
      .fill('I corrected INV-7; you will get an email.');
    await conversation.getByRole('button', { name: 'Send' }).click();
    const reply = userPage.getByRole('article', { name: `${agent} from support` });
    await reply.waitFor();
    expect(await reply.textContent()).toContain('I corrected INV-7');
    await saveScreenshot(userPage, 'handoff-user-with-agent');
    await saveScreenshot(agentPage, 'handoff-agent-console');

    // Both reload while the person has the conversation: each still sees what was said, once.
    await userPage.reload();
    await userPage.getByText(`${agent} from support is with you`).waitFor();
    await reply.waitFor();
    expect(await reply.textContent()).toContain('I corrected INV-7');
    expect(await userPage.getByRole('article', { name: `${agent} from support` }).count()).toBe(1);
    const asked = userPage
      .getByRole('article', { name: 'You' })
      .filter({ hasText: 'INV-7 shows the wrong amount' });
    expect(await asked.count()).toBe(1);
    await saveScreenshot(userPage, 'handoff-user-reloaded');
    // The console opens the conversation it has again by itself.
    await agentPage.reload();
    await conversation.getByText('I corrected INV-7; you will get an email.').waitFor();
    await conversation.getByText('My invoice INV-7 shows the wrong amount.').waitFor();

    await conversation.getByRole('button', { name: 'Hand back to the assistant' }).click();
    await agentPage.getByText(`The conversation with ${user} went back to the assistant.`).waitFor();
    await userPage.locator('.handoff-banner').waitFor({ state: 'detached' });

    await chat.ask('What did the person say?');
    await chat.waitForAnswerEnd();
    expect(await chat.lastAnswerText()).toContain('I corrected INV-7');
  }, 120_000);

  it('lets the user cancel while waiting, and keeps non-agents out of the console', async () => {
    const userPage = await open(`?user=bo-${crypto.randomUUID().slice(0, 8)}`);
    const chat = chatPage(userPage);
    await userPage.getByText('Connected', { exact: true }).waitFor();
    await chat.ask('I need a human.');
    await chat.waitForAnswerEnd();
    await userPage.getByRole('button', { name: 'Cancel' }).click();
    await userPage.locator('.handoff-banner').waitFor({ state: 'detached' });
    await chat.ask('Thanks anyway.');
    await chat.waitForAnswerEnd();
    expect(await chat.lastAnswerText()).toContain('Thanks anyway');

    const stranger = await open(`agent?user=eve-${crypto.randomUUID().slice(0, 8)}`);
    await stranger.getByText(/This page is for agents only/).waitFor();
    expect(await stranger.locator('.agent-entry').count()).toBe(0);
  }, 90_000);
});
