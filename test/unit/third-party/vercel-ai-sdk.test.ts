import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type EmulatorServer, startEmulatorServer } from '../../../emulator/server.ts';
import { OFFLINE_TARGET } from '../../../recorder/scenario-runner.ts';
import { createTestEmulator } from '../emulator/support/test-emulator.ts';

/**
 * The Vercel AI SDK's Bedrock provider, unchanged, against the emulator on a loopback port: it signs with its
 * own SigV4 code (aws4fetch), sends tool results as text blocks holding JSON and parses the event stream
 * itself, so it checks the emulator against a client nobody here wrote. No request leaves the machine.
 */
let server: EmulatorServer;
let bedrock: ReturnType<typeof createAmazonBedrock>;
beforeAll(async () => {
  server = await startEmulatorServer({ emulator: createTestEmulator() });
  bedrock = createAmazonBedrock({
    region: 'us-east-1',
    accessKeyId: 'local',
    secretAccessKey: 'local',
    baseURL: server.url,
  });
});
afterAll(() => server.close());

describe('the Vercel AI SDK (@ai-sdk/amazon-bedrock) against the emulator', () => {
  it('answers a plain turn', async () => {
    const { text, finishReason, usage } = await generateText({
      model: bedrock(OFFLINE_TARGET.modelId),
      prompt: 'Hello there',
    });

    expect(text).toMatch(/^You said: “Hello there”/);
    expect(finishReason).toBe('stop');
    expect(usage.outputTokens).toBeGreaterThan(0);
  });

  it('streams a turn piece by piece', async () => {
    const result = streamText({ model: bedrock(OFFLINE_TARGET.modelId), prompt: '#tokens:30' });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);

    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('').split(' ')).toHaveLength(30);
    expect(await result.finishReason).toBe('stop');
  });

  it('runs a tool round trip: the model calls the tool, reads its result and answers from it', async () => {
    const calls: unknown[] = [];
    const { text, steps } = await generateText({
      model: bedrock(OFFLINE_TARGET.modelId),
      prompt: 'What is the weather in Lisbon?',
      tools: {
        get_weather: tool({
          description: 'Get the current weather for a city',
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => {
            calls.push(city);
            return { city, forecast: 'sunny, 24 °C' };
          },
        }),
      },
      stopWhen: stepCountIs(3),
    });

    expect(calls).toEqual(['Lisbon']);
    expect(steps).toHaveLength(2);
    expect(text).toContain('sunny, 24 °C');
  });

  it('reads the project’s own tools’ results sent as text blocks (no more "undefined")', async () => {
    const { text } = await generateText({
      model: bedrock(OFFLINE_TARGET.modelId),
      prompt: 'What time is it in Tokyo?',
      tools: {
        current_time: tool({
          description: 'The current date and time in a time zone',
          inputSchema: z.object({ timeZone: z.string() }),
          execute: async ({ timeZone }) => ({ timeZone, local: 'Thursday 18:30', utcOffset: '+09:00' }),
        }),
      },
      stopWhen: stepCountIs(3),
    });

    expect(text).toBe('The current time in Asia/Tokyo is **Thursday 18:30** (UTC+09:00).');
  });
});
