import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ChatBedrockConverse } from '@langchain/aws';
import { type AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type EmulatorServer, startEmulatorServer } from '../../../emulator/server.ts';
import { OFFLINE_TARGET } from '../../../recorder/scenario-runner.ts';
import { createTestEmulator } from '../emulator/support/test-emulator.ts';

/**
 * LangChain's ChatBedrockConverse, unchanged, against the emulator on a loopback port. It is handed an SDK
 * client built the plain way (`new BedrockRuntimeClient({ endpoint })`: the default HTTP/2 handler, no custom
 * transport), since it otherwise insists on an https AWS endpoint. No request leaves the machine.
 */
let server: EmulatorServer;
let client: BedrockRuntimeClient;
let model: ChatBedrockConverse;
beforeAll(async () => {
  server = await startEmulatorServer({ emulator: createTestEmulator() });
  client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  model = new ChatBedrockConverse({ model: OFFLINE_TARGET.modelId, region: 'us-east-1', client });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

const getWeather = tool(async ({ city }) => JSON.stringify({ city, forecast: 'rain, 12 °C' }), {
  name: 'get_weather',
  description: 'Get the current weather for a city',
  schema: z.object({ city: z.string() }),
});

describe('LangChain (@langchain/aws ChatBedrockConverse) against the emulator', () => {
  it('answers a plain turn', async () => {
    const answer = await model.invoke([new HumanMessage('Hello there')]);

    expect(answer.content).toMatch(/^You said: “Hello there”/);
    expect(answer.usage_metadata?.output_tokens).toBeGreaterThan(0);
  });

  it('streams a turn chunk by chunk', async () => {
    const chunks: string[] = [];
    for await (const chunk of await model.stream([new HumanMessage('#tokens:25')])) {
      if (typeof chunk.content === 'string' && chunk.content !== '') chunks.push(chunk.content);
    }

    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('').split(' ')).toHaveLength(25);
  });

  it('runs a tool round trip: a tool call, its ToolMessage, then an answer from the result', async () => {
    const withTools = model.bindTools([getWeather]);
    const question = new HumanMessage('What is the weather in Oslo?');

    const first = (await withTools.invoke([question])) as AIMessage;
    const [call] = first.tool_calls ?? [];
    const result = await getWeather.invoke(call?.args as { city: string });
    const second = await withTools.invoke([
      question,
      first,
      new ToolMessage({ content: result, tool_call_id: call?.id as string }),
    ]);

    expect(call).toMatchObject({ name: 'get_weather', args: { city: 'Oslo' } });
    expect(second.content).toContain('rain, 12 °C');
  });
});
