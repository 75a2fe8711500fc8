import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames } from '../../../emulator/event-stream.ts';
import { createBedrockRuntimeClient } from '../../../src/adapters/bedrock/clients.ts';
import { createBedrockModelClient } from '../../../src/adapters/bedrock/model-client.ts';
import { ModelRejectedError } from '../../../src/chat/errors.ts';
import type { ModelEvent } from '../../../src/chat/ports.ts';
import { RECORDINGS, type Recording } from './recordings.ts';

/** Decoded Bedrock JSON: its shape is what the assertions check. */
// biome-ignore lint/suspicious/noExplicitAny: decoded wire JSON, read by path in assertions
type Payload = Record<string, any>;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';

/** The recorded answer, its bytes split across network chunks at arbitrary points (frames do not align). */
function replay(recording: Recording) {
  return http.post('*/model/:modelId/*', () => {
    if (!recording.stream) {
      return HttpResponse.json(recording.json, { status: recording.status, headers: recording.headers });
    }
    const bytes = recording.stream;
    return new HttpResponse(
      new ReadableStream({
        start(controller) {
          for (let offset = 0; offset < bytes.length; offset += 97)
            controller.enqueue(bytes.slice(offset, offset + 97));
          controller.close();
        },
      }),
      { status: recording.status, headers: recording.headers },
    );
  });
}

async function consume(recording: Recording): Promise<ModelEvent[]> {
  server.use(replay(recording));
  const model = createBedrockModelClient({
    client: createBedrockRuntimeClient({ region: recording.region }),
    modelId: recording.modelId,
    systemPrompt: 'Be brief.',
    maxTokens: 256,
  });
  const events: ModelEvent[] = [];
  for await (const event of model.stream(
    { messages: [{ role: 'user', content: [{ text: 'Hi' }] }], tools: [] },
    new AbortController().signal,
  )) {
    events.push(event);
  }
  return events;
}

/** What the recording says, read straight from its frames (not through the SDK or the adapter). */
function expectedFrom(stream: Uint8Array) {
  const payloads = decodeFrames(stream).map(({ headers, payload }) => ({
    event: headers[':event-type'],
    payload: JSON.parse(payload) as Payload,
  }));
  const tools = new Map<number, { toolUseId: string; name: string; json: string }>();
  let text = '';
  for (const { event, payload } of payloads) {
    if (event === 'contentBlockStart' && payload.start?.toolUse) {
      tools.set(payload.contentBlockIndex, { ...payload.start.toolUse, json: '' });
    }
    if (event === 'contentBlockDelta') {
      text += payload.delta.text ?? '';
      const tool = tools.get(payload.contentBlockIndex);
      if (tool && payload.delta.toolUse) tool.json += payload.delta.toolUse.input;
    }
  }
  const stop = payloads.find(({ event }) => event === 'messageStop')?.payload.stopReason;
  const usage = payloads.find(({ event }) => event === 'metadata')?.payload.usage;
  return {
    text,
    toolUses: [...tools.values()].map(({ toolUseId, name, json }) => ({
      toolUseId,
      name,
      input: JSON.parse(json),
    })),
    stop,
    usage: {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      ...(usage.cacheReadInputTokens ? { cacheReadTokens: usage.cacheReadInputTokens } : {}),
      ...(usage.cacheWriteInputTokens ? { cacheWriteTokens: usage.cacheWriteInputTokens } : {}),
    },
  };
}

/** The adapter speaks the core's words for why a call ended: Bedrock's `tool_use` is the core's `tools_requested`. */
const coreStopReason = (bedrock: string) => (bedrock === 'tool_use' ? 'tools_requested' : bedrock);

const streams = RECORDINGS.filter((recording) => recording.stream && recording.status === 200);
const errors = RECORDINGS.filter((recording) => recording.status >= 400);

describe('the production model adapter, fed real Bedrock recordings', () => {
  it('has recordings to be fed: every real event stream in fixtures/conformance, prompt-cache reads and writes among them', () => {
    expect(streams.length).toBeGreaterThanOrEqual(15);
    const usages = streams.map((recording) => expectedFrom(recording.stream as Uint8Array).usage);
    expect(usages.some((usage) => usage.cacheWriteTokens)).toBe(true);
    expect(usages.some((usage) => usage.cacheReadTokens)).toBe(true);
  });

  it.each(streams.map((recording) => [recording.name, recording] as const))(
    'decodes %s: text, tool calls (fragmented input joined), stop reason and usage with cache tokens',
    async (_name, recording) => {
      const expected = expectedFrom(recording.stream as Uint8Array);

      const events = await consume(recording);

      expect(
        events
          .filter((event) => event.type === 'text')
          .map((event) => event.text)
          .join(''),
      ).toBe(expected.text);
      expect(events.filter((event) => event.type === 'toolUse')).toEqual(
        expected.toolUses.map((tool) => ({ type: 'toolUse', ...tool })),
      );
      expect(events.filter((event) => event.type === 'toolStart').map((event) => event.toolUseId)).toEqual(
        expected.toolUses.map((tool) => tool.toolUseId),
      );
      expect(events.find((event) => event.type === 'stop')).toEqual({
        type: 'stop',
        stopReason: coreStopReason(expected.stop),
      });
      expect(events.find((event) => event.type === 'usage')).toEqual({
        type: 'usage',
        usage: expected.usage,
      });
    },
  );

  it.each(errors.map((recording) => [recording.name, recording] as const))(
    'turns the recorded error %s into a typed rejection, not a retryable failure',
    async (_name, recording) => {
      await expect(consume(recording)).rejects.toBeInstanceOf(ModelRejectedError);
    },
  );
});
