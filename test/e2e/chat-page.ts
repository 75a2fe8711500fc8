import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The chat as a user sees it: what to type, what to click, what to read. */
export function chatPage(page: Page) {
  const input = page.getByRole('textbox', { name: 'Message' });
  const answers = page.getByRole('article', { name: 'Assistant' });
  const questions = page.getByRole('article', { name: 'You' });
  const stopButton = page.getByRole('button', { name: 'Stop', exact: true });
  const sendButton = page.getByRole('button', { name: 'Send', exact: true });

  return {
    input,
    answers,
    questions,
    stopButton,
    lastAnswer: answers.last(),
    async open(url: string) {
      await page.goto(url);
      await page.getByText('Connected', { exact: true }).waitFor();
    },
    /** Resolves once the draft can be sent: no answer running (while the history loads, it is queued). */
    async waitUntilSendable() {
      await sendButton.and(page.locator(':enabled')).waitFor();
    },
    /** Types the question and presses Enter, as a keyboard user would. */
    async ask(question: string) {
      await input.fill(question);
      await this.waitUntilSendable();
      await input.press('Enter');
    },
    /** The text of the newest answer (without its tool chips, notes or the typing indicator's hidden label). */
    lastAnswerText: () =>
      answers
        .last()
        .locator('.answer')
        .evaluate((answer) => {
          const words = answer.cloneNode(true) as Element;
          for (const indicator of words.querySelectorAll('.typing-indicator')) indicator.remove();
          return words.textContent ?? '';
        }),
    /** Resolves once the newest answer has more than `count` words. */
    async waitForWords(count: number) {
      await expect
        .poll(async () => wordsOf(await this.lastAnswerText()).length, { timeout: 20_000 })
        .toBeGreaterThan(count);
    },
    /** Resolves once the running answer has ended (Stop has turned back into Send). */
    async waitForAnswerEnd(timeout = 30_000) {
      await stopButton.waitFor({ state: 'detached', timeout });
      await sendButton.waitFor({ timeout });
    },
  };
}

/** The words of a text, whatever the whitespace between them. */
export const wordsOf = (text: string) => text.trim().split(/\s+/).filter(Boolean);
