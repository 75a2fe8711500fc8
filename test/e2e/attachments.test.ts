import { afterEach, describe, expect, inject, it } from 'vitest';
import { type BrowserSession, closeBrowsers, openBrowser, saveScreenshot } from '../support/browser.ts';
import { TINY_PDF, TINY_PNG } from '../support/sample-files.ts';
import { chatPage } from './chat-page.ts';

const webUrl = inject('webUrl');

let browser: BrowserSession;

afterEach(async () => {
  expect(await closeBrowsers(browser)).toEqual([]);
});

describe('attachments in a real browser', () => {
  it('attaches an image and a PDF, uploads them to the bucket and gets an answer that names both', async () => {
    browser = await openBrowser();
    const { page } = browser;
    const chat = chatPage(page);
    await chat.open(webUrl);

    await page.getByTestId('attach-input').setInputFiles([
      { name: 'cat.png', mimeType: 'image/png', buffer: Buffer.from(TINY_PNG) },
      { name: 'Q3 report.pdf', mimeType: 'application/pdf', buffer: Buffer.from(TINY_PDF) },
    ]);
    const tray = page.locator('.attachment-tray').getByRole('list', { name: 'Attached files' });
    // Uploaded: each chip shows its size instead of "uploading…".
    await tray.getByText(`${TINY_PNG.byteLength} bytes`).waitFor({ timeout: 30_000 });
    await tray.getByText(`${TINY_PDF.byteLength} bytes`).waitFor({ timeout: 30_000 });
    await saveScreenshot(page, 'attachments-picked');

    await chat.ask('What is in these files?');
    await chat.waitForAnswerEnd(60_000);
    const answer = await chat.lastAnswerText();
    expect(answer).toContain(`cat.png (image, PNG, ${TINY_PNG.byteLength} bytes)`);
    expect(answer).toContain(`Q3 report (document, PDF, ${TINY_PDF.byteLength} bytes)`);
    const question = chat.questions.last();
    expect(await question.getByRole('list', { name: 'Attached files' }).textContent()).toContain('cat.png');
    await saveScreenshot(page, 'attachments-answered');

    // After a reload the question still shows its files (from the stored history).
    await page.reload();
    await page.getByText('Connected', { exact: true }).waitFor();
    await chat.questions.last().getByText('Q3 report.pdf').waitFor();
  });

  it('refuses an oversize file with a message, and takes a file dropped on the chat (phone size)', async () => {
    browser = await openBrowser({ viewport: { width: 390, height: 844 } });
    const { page } = browser;
    const chat = chatPage(page);
    await chat.open(webUrl);

    // Made in the page: a 4 MB file need not cross the DevTools protocol to be refused by its size.
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(4 * 1024 * 1024)], 'holiday.jpg', { type: 'image/jpeg' }));
      const input = document.querySelector('[data-testid="attach-input"]') as HTMLInputElement;
      input.files = data.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('holiday.jpg is 4 MB, over the 3.75 MB limit for images.');
    expect(await page.locator('.attachment-chip').count()).toBe(0);
    await saveScreenshot(page, 'attachments-refused-phone');

    // Drag and drop: a Markdown file dropped anywhere on the chat is attached and uploaded.
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['# Plan\n- ship it\n'], 'plan.md', { type: 'text/markdown' }));
      const chatArea = document.querySelector('main.chat') as HTMLElement;
      chatArea.dispatchEvent(
        new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }),
      );
      chatArea.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.locator('.attachment-chip', { hasText: 'plan.md' }).waitFor();
    await page
      .locator('.attachment-chip', { hasText: 'plan.md' })
      .getByText('17 bytes')
      .waitFor({ timeout: 30_000 });
    await saveScreenshot(page, 'attachments-dropped-phone');
  });
});
