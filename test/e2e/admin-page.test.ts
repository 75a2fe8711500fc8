import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BrowserSession, closeBrowsers, openBrowser, saveScreenshot } from '../support/browser.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';

const webUrl = inject('webUrl');
const stack = inject('stack');
const admin = `admin-${crypto.randomUUID().slice(0, 8)}`;

/** Scripted traffic first: turns with tools, a fault, a stop, a refused frame, from two users. */
let sockets: ChatSocket[] = [];
beforeAll(async () => {
  sockets = [await openChat(stack, 'ana'), await openChat(stack, 'bo')];
  const [ana, bo] = sockets as [ChatSocket, ChatSocket];
  const first = crypto.randomUUID();
  await ana.turn(first, 'What time is it in Tokyo?');
  await ana.turn(first, 'How do I reset my password?');
  await ana.turn(first, '#fault:stream-error=2 tell me a story');
  await bo.turn(crypto.randomUUID(), 'Where is the billing-api?');
  const stopped = crypto.randomUUID();
  const turnId = crypto.randomUUID();
  bo.send({ action: 'sendMessage', sessionId: stopped, turnId, message: '#tokens:500 #pace:10 go on' });
  await bo.waitFor((f) => f.type === 'token' && f.turnId === turnId);
  bo.send({ action: 'cancel', sessionId: stopped, turnId });
  await bo.waitFor((f) => f.type === 'done' && f.turnId === turnId);
  bo.send({ action: 'sendMessage', sessionId: 'nope', message: 'hi' });
  await bo.waitFor((f) => f.type === 'error' && f.code === 'INVALID_FRAME');
}, 90_000);

afterAll(async () => {
  for (const socket of sockets) await socket.close();
});

let browser: BrowserSession;
afterEach(async () => {
  expect(await closeBrowsers(browser)).toEqual([]);
});

/** The admin page as `user` (in `groups`), once its figures or its refusal are on screen. */
async function openAdmin(user: string, groups: string, viewport?: { width: number; height: number }) {
  browser = await openBrowser(viewport ? { viewport } : {});
  const policyComplaints: string[] = [];
  browser.page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) policyComplaints.push(message.text());
  });
  const query = new URLSearchParams({ user, ...(groups ? { groups } : {}) });
  await browser.page.goto(`${webUrl}admin?${query}`);
  await browser.page.locator('.figure, .banner-error').first().waitFor();
  return { page: browser.page, policyComplaints };
}

describe('the admin page in a real browser', () => {
  it('shows every figure with its charts after scripted traffic, on a desktop screen', async () => {
    const { page, policyComplaints } = await openAdmin(admin, 'admins');
    const figures = page.locator('.figure');
    expect(await figures.count()).toBeGreaterThanOrEqual(12);
    const turns = page.locator('[data-figure="turns"]');
    expect(
      Number((await turns.locator('dd').first().textContent())?.replace(/,/g, '')),
    ).toBeGreaterThanOrEqual(5);
    // uPlot draws on a canvas: the turns, latency and tokens figures have one each, with pixels on it.
    for (const id of ['turns', 'timeToFirstToken', 'tokens']) {
      const canvas = page.locator(`[data-figure="${id}"] .series-chart canvas`);
      await canvas.waitFor();
      const box = await canvas.boundingBox();
      expect(box?.width, id).toBeGreaterThan(200);
      expect(box?.height, id).toBeGreaterThan(100);
    }
    const tools = await page.locator('[data-figure="tools"] .breakdown-key').allTextContents();
    expect(tools).toEqual(expect.arrayContaining(['current_time', 'kb_lookup', 'lookup_resource']));
    const errors = await page.locator('[data-figure="errors"] .breakdown-key').allTextContents();
    expect(errors).toEqual(expect.arrayContaining(['MODEL_STREAM_ERROR', 'INVALID_FRAME']));
    expect(await page.locator('[data-figure="stops"] .breakdown-key').allTextContents()).toContain(
      'cancelled',
    );
    await page.getByRole('button', { name: '7 days' }).click();
    await page.getByRole('button', { name: '7 days', pressed: true }).waitFor();
    await page.locator('.figure').first().waitFor();
    await page.getByRole('button', { name: '24 hours' }).click();
    await page.locator('main[aria-busy="false"] [data-figure="turns"] canvas').waitFor();
    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'admin-desktop');
    expect(policyComplaints).toEqual([]);
  });

  it('stays readable on a phone: one column, nothing wider than the screen', async () => {
    const { page } = await openAdmin(admin, 'admins', { width: 390, height: 844 });
    await page.locator('[data-figure="turns"] canvas').waitFor();
    const widths = await page
      .locator('.figure')
      .evaluateAll((cards) => cards.map((card) => card.getBoundingClientRect()));
    for (const box of widths) {
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(390);
    }
    // One column: every card starts at the same left edge.
    expect(new Set(widths.map((box) => Math.round(box.left))).size).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await saveScreenshot(page, 'admin-phone');
    await page.locator('[data-figure="tools"]').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'admin-phone-tools');
  });

  it('refuses a user outside the admins group, and shows no figure', async () => {
    const { page } = await openAdmin('bo', '');
    const banner = page.getByRole('alert');
    expect(await banner.textContent()).toContain('for admins only');
    expect(await page.locator('.figure').count()).toBe(0);
    await saveScreenshot(page, 'admin-refused');
  });
});
