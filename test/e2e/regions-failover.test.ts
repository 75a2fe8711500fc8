import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { findFreePort } from '../../local/processes.ts';
import { type SimRegion, startSimRegion } from '../../local/regions/sim-region.ts';
import { type BrowserSession, openBrowser, saveScreenshot } from '../support/browser.ts';
import { buildWebForProduction, WEB_CONFIG } from '../support/global-web.ts';
import { chatPage, wordsOf } from './chat-page.ts';

/*
 * The web app in two regions on this machine (decision 21): us-east-1, the write region, and eu-west-1, whose
 * handlers write us-east-1's DynamoDB Local. The production build knows both endpoints, as a multi-region
 * deploy builds it. The page chats on the region it found fastest; that region dies mid-answer (its sockets
 * cut, its Lambdas frozen); the page moves to the other region, resumes, and ends with the whole answer.
 */
let database: DynamoDbLocal;
let regions: SimRegion[] = [];
let web: PreviewServer;
let webUrl: string;
let outDir: string;
let browser: BrowserSession;

beforeAll(async () => {
  database = await startDynamoDbLocal({ port: await findFreePort(), timeoutMs: 120_000 });
  const port = await findFreePort();
  webUrl = `http://127.0.0.1:${port}/`;
  const handlerEnv = { CHAT_ALLOWED_ORIGINS: `http://127.0.0.1:${port}` };
  const dynamodbPort = Number(new URL(database.endpoint).port);
  regions = await Promise.all([
    startSimRegion({
      label: 'us-east-1',
      region: 'us-east-1',
      dynamodbPort,
      replica: 'us-east-1',
      handlerEnv,
    }),
    startSimRegion({
      label: 'eu-west-1',
      region: 'eu-west-1',
      dynamodbPort,
      replica: 'eu-west-1',
      writeTo: { region: 'us-east-1', dynamodbEndpoint: database.endpoint },
      handlerEnv,
    }),
  ]);
  outDir = mkdtempSync(join(tmpdir(), 'chat-web-regions-'));
  await buildWebForProduction(outDir, {
    VITE_CHAT_WS_URLS: regions.map((region) => `${region.label}=${region.websocketUrl}`).join(','),
  });
  web = await preview({
    configFile: WEB_CONFIG,
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
    logLevel: 'warn',
  });
  browser = await openBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await Promise.allSettled(regions.map((region) => region.stop()));
  await database?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
}, 120_000);

it('moves to the other region when its region dies mid-answer, and finishes the answer there', async () => {
  const { page } = browser;
  const chat = chatPage(page);
  await page.goto(webUrl);
  // With several regions the badge names the one it is on: "Connected · us-east-1".
  const badge = page.locator('.connection-region');
  await badge.waitFor({ timeout: 30_000 });
  await chat.ask('#tokens:6 Where is my order?');
  await chat.waitForAnswerEnd(60_000);
  const first = (await badge.textContent())?.replace(/[·\s]/g, '') ?? '';
  const lost = regions.find((region) => region.label === first);
  const other = regions.find((region) => region.label !== first);
  expect(lost, `connected to ${first}`).toBeDefined();

  await chat.ask('#tokens:120 #pace:40 And when will it arrive?');
  await chat.waitForWords(10);
  lost?.kill();

  await expect.poll(async () => badge.textContent(), { timeout: 30_000 }).toContain(other?.label);
  await chat.waitForAnswerEnd(90_000);
  await saveScreenshot(page, 'region-failover');

  expect(wordsOf(await chat.lastAnswerText())).toHaveLength(120);
  expect(await chat.lastAnswer.locator('.stop-note').count()).toBe(0);
  // The first turn, stored before the region died, is there too: one conversation across regions.
  expect(await chat.questions.count()).toBe(2);
  expect(browser.pageErrors).toEqual([]);
  lost?.revive();
});
