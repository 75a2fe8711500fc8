import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/emulator.ts';
import { type EmulatorServer, startEmulatorServer } from '../../../emulator/server.ts';
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
});
