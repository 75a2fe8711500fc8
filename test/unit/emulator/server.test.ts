import { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/emulator.ts';
import { type EmulatorServer, startEmulatorServer } from '../../../emulator/server.ts';
import { OFFLINE_TARGET } from '../../../recorder/scenario-runner.ts';
import {
  converseStream,
  createLambdaBedrockClients,
  createTestEmulator,
  question,
  streamedText,
} from './support/test-emulator.ts';

let emulator: Emulator;
let server: EmulatorServer;
beforeAll(async () => {
  emulator = createTestEmulator();
  server = await startEmulatorServer({ emulator });
});
afterAll(() => server.close());

describe('the standalone emulator server', () => {
  it('listens on loopback and serves the SDK clients pointed at it', async () => {
    const { runtime } = createLambdaBedrockClients(server.url);

    const { events, error } = await converseStream(runtime, question('Hello there'));

    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(error).toBeUndefined();
    expect(streamedText(events)).toMatch(/^You said: “Hello there”/);
  });

  it('cancels a stalled stream when the client hangs up, and logs it as cancelled', async () => {
    const { runtime } = createLambdaBedrockClients(server.url);
    const abort = new AbortController();
    const reading = converseStream(runtime, question('Hello there #fault:stall'), {
      abortSignal: abort.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    abort.abort();
    await reading;

    await expect
      .poll(() => emulator.calls().find((call) => call.fault === 'stall')?.outcome)
      .toBe('cancelled');
  });

  it('serves the call log and clears it over the admin API', async () => {
    const health = await (await fetch(`${server.url}/_emulator/health`)).json();
    const calls = (await (await fetch(`${server.url}/_emulator/calls`)).json()) as unknown[];
    const cleared = await fetch(`${server.url}/_emulator/calls`, { method: 'DELETE' });

    expect(health).toEqual({ ok: true, mode: 'auto' });
    expect(calls.length).toBeGreaterThan(0);
    expect(cleared.status).toBe(204);
    expect(await cleared.text()).toBe('');
    expect(emulator.calls()).toEqual([]);
  });

  it('answers paths it does not serve with 404 and an error type the SDK understands', async () => {
    const response = await fetch(`${server.url}/model/m/invoke`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('serves the SDK’s default clients (HTTP/2) and HTTP/1.1 clients on the same port', async () => {
    const credentials = { accessKeyId: 'any', secretAccessKey: 'any' };
    const runtime = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials });
    const agent = new BedrockAgentRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials });
    try {
      const streamed = await converseStream(runtime, question('Hello there'));
      const answered = await runtime.send(new ConverseCommand(question('Hello there')));
      const retrieved = await agent.send(
        new RetrieveCommand({
          knowledgeBaseId: OFFLINE_TARGET.knowledgeBaseId,
          retrievalQuery: { text: 'How do I reset my password?' },
        }),
      );
      const overHttp1 = await converseStream(
        createLambdaBedrockClients(server.url).runtime,
        question('Hello there'),
      );

      expect(streamed.error).toBeUndefined();
      expect(streamedText(streamed.events)).toMatch(/^You said: “Hello there”/);
      expect(answered.output?.message?.content?.[0]?.text).toMatch(/^You said/);
      expect(retrieved.retrievalResults?.[0]?.location?.s3Location?.uri).toContain('account-security.md');
      expect(streamedText(overHttp1.events)).toBe(streamedText(streamed.events));
    } finally {
      runtime.destroy();
      agent.destroy();
    }
  });

  it('cancels an HTTP/2 stream whose client gives up, as it does for HTTP/1.1', async () => {
    const credentials = { accessKeyId: 'any', secretAccessKey: 'any' };
    const runtime = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials });
    const abort = new AbortController();
    const marker = '#id:h2stall';
    const reading = converseStream(runtime, question(`Hello there #fault:stall ${marker}`), {
      abortSignal: abort.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    abort.abort();
    await reading;
    runtime.destroy();

    await expect
      .poll(() => emulator.calls().find((call) => call.turnText.includes(marker))?.outcome)
      .toBe('cancelled');
  });

  it('refuses an unsigned request with AWS’s 403, before reading its body', async () => {
    const response = await fetch(
      `${server.url}/model/${encodeURIComponent(OFFLINE_TARGET.modelId)}/converse`,
      {
        method: 'POST',
        body: '{not json',
      },
    );

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ Message: 'Authorization header is missing' });
  });
});
