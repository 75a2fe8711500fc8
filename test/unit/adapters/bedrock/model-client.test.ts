import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, eventHeaders, exceptionHeaders } from '../../../../emulator/event-stream.ts';
import { createBedrockRuntimeClient } from '../../../../src/adapters/bedrock/clients.ts';
import { createBedrockModelClient } from '../../../../src/adapters/bedrock/model-client.ts';
import {
  ModelFixtureMismatchError,
  ModelRejectedError,
  ModelStreamError,
  ModelThrottledError,
} from '../../../../src/chat/errors.ts';
import type { ModelEvent } from '../../../../src/chat/ports.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';

const MODEL_ID = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const model = createBedrockModelClient({
  client: createBedrockRuntimeClient({ region: 'us-east-1' }),
  modelId: MODEL_ID,
  systemPrompt: 'Be brief.',
  maxTokens: 256,
});

type Frame = [event: string, payload: unknown] | ['!exception', string, unknown];
const eventStream = (frames: Frame[]) =>
  new HttpResponse(
    new ReadableStream({
      start(controller) {
        for (const frame of frames) {
          const [event, second, third] = frame;
          const encoded =
            event === '!exception'
              ? encodeFrame({ headers: exceptionHeaders(second as string), payload: JSON.stringify(third) })
              : encodeFrame({ headers: eventHeaders(event), payload: JSON.stringify(second) });
          controller.enqueue(encoded);
        }
        controller.close();
      },
    }),
    { headers: { 'content-type': 'application/vnd.amazon.eventstream' } },
  );

const collect = async (
  tools = [{ name: 'kb_lookup', description: 'Search', inputSchema: { type: 'object' } }],
) => {
  const events: ModelEvent[] = [];
  for await (const event of model.stream(
    // A stored question carries its turn id; Bedrock must never see it.
    { messages: [{ role: 'user', content: [{ text: 'Hi' }], turnId: 'turn-1' }], tools },
    new AbortController().signal,
  )) {
    events.push(event);
  }
  return events;
};

describe('createBedrockModelClient', () => {
  it('sends ConverseStream with the system prompt, the messages (role and content only) and the tools', async () => {
    let seen: { modelId: string; body: Record<string, unknown> } | undefined;
    server.use(
      http.post('*/model/:modelId/converse-stream', async ({ request, params }) => {
        seen = {
          modelId: decodeURIComponent(String(params.modelId)),
          body: (await request.json()) as Record<string, unknown>,
        };
        return eventStream([['messageStop', { stopReason: 'end_turn' }]]);
      }),
    );

    await collect();

    expect(seen?.modelId).toBe(MODEL_ID);
    expect(seen?.body).toEqual({
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { maxTokens: 256 },
      toolConfig: {
        tools: [
          {
            toolSpec: { name: 'kb_lookup', description: 'Search', inputSchema: { json: { type: 'object' } } },
          },
        ],
      },
    });
  });

  it('leaves toolConfig out when there are no tools', async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.post('*/model/:modelId/converse-stream', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return eventStream([['messageStop', { stopReason: 'end_turn' }]]);
      }),
    );
    await collect([]);
    expect(body).not.toHaveProperty('toolConfig');
  });

  it('decodes text deltas, joins streamed tool input fragments, and reports stop reason and usage', async () => {
    server.use(
      http.post('*/model/:modelId/converse-stream', () =>
        eventStream([
          ['messageStart', { role: 'assistant' }],
          ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Let me' } }],
          ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: ' check.' } }],
          ['contentBlockStop', { contentBlockIndex: 0 }],
          [
            'contentBlockStart',
            { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tu_1', name: 'kb_lookup' } } },
          ],
          ['contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"query": "res' } } }],
          ['contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: 'et password"}' } } }],
          ['contentBlockStop', { contentBlockIndex: 1 }],
          ['messageStop', { stopReason: 'tool_use' }],
          [
            'metadata',
            { usage: { inputTokens: 42, outputTokens: 17, totalTokens: 59 }, metrics: { latencyMs: 300 } },
          ],
        ]),
      ),
    );

    expect(await collect()).toEqual([
      { type: 'text', text: 'Let me' },
      { type: 'text', text: ' check.' },
      { type: 'toolStart', toolUseId: 'tu_1', name: 'kb_lookup' },
      { type: 'toolUse', toolUseId: 'tu_1', name: 'kb_lookup', input: { query: 'reset password' } },
      { type: 'stop', stopReason: 'tools_requested' },
      { type: 'usage', usage: { inputTokens: 42, outputTokens: 17 } },
    ]);
  });

  it.each([
    ['end_turn', 'end_turn'],
    ['tool_use', 'tools_requested'],
    ['max_tokens', 'max_tokens'],
    ['stop_sequence', 'stop_sequence'],
    ['content_filtered', 'content_filtered'],
    ['guardrail_intervened', 'guardrail_intervened'],
    ['model_context_window_exceeded', 'end_turn'],
    ['malformed_tool_use', 'end_turn'],
  ])("reports Bedrock's stop reason %s as %s", async (bedrock, ours) => {
    server.use(
      http.post('*/model/:modelId/converse-stream', () =>
        eventStream([['messageStop', { stopReason: bedrock }]]),
      ),
    );
    expect(await collect()).toEqual([{ type: 'stop', stopReason: ours }]);
  });

  it('passes tool input that is not valid JSON on as a field, for the tool to reject clearly', async () => {
    server.use(
      http.post('*/model/:modelId/converse-stream', () =>
        eventStream([
          [
            'contentBlockStart',
            { contentBlockIndex: 0, start: { toolUse: { toolUseId: 't', name: 'kb_lookup' } } },
          ],
          ['contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '{"query": ' } } }],
          ['contentBlockStop', { contentBlockIndex: 0 }],
        ]),
      ),
    );
    expect((await collect()).find((e) => e.type === 'toolUse')).toMatchObject({
      input: { invalidJson: '{"query": ' },
    });
  });

  it.each([
    ['throttlingException', ModelThrottledError],
    ['modelStreamErrorException', ModelStreamError],
    ['validationException', ModelRejectedError],
  ])('turns an in-stream %s into a typed error after the text before it', async (exception, errorClass) => {
    const seen: ModelEvent[] = [];
    server.use(
      http.post('*/model/:modelId/converse-stream', () =>
        eventStream([
          ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Partial' } }],
          ['!exception', exception, { message: 'boom' }],
        ]),
      ),
    );
    const run = async () => {
      for await (const event of model.stream({ messages: [], tools: [] }, new AbortController().signal))
        seen.push(event);
    };
    await expect(run()).rejects.toBeInstanceOf(errorClass);
    expect(seen).toEqual([{ type: 'text', text: 'Partial' }]);
  });

  it('retries HTTP 429 three times, then reports MODEL_THROTTLED', async () => {
    let attempts = 0;
    server.use(
      http.post('*/model/:modelId/converse-stream', () => {
        attempts++;
        return HttpResponse.json(
          { message: 'Too many requests' },
          { status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException' } },
        );
      }),
    );
    await expect(collect()).rejects.toBeInstanceOf(ModelThrottledError);
    expect(attempts).toBe(3);
  });

  it('reports an HTTP validation error as MODEL_REJECTED without retrying', async () => {
    let attempts = 0;
    server.use(
      http.post('*/model/:modelId/converse-stream', () => {
        attempts++;
        return HttpResponse.json(
          { message: 'bad' },
          { status: 400, headers: { 'x-amzn-errortype': 'ValidationException' } },
        );
      }),
    );
    await expect(collect()).rejects.toBeInstanceOf(ModelRejectedError);
    expect(attempts).toBe(1);
  });

  it("reports the offline emulator's strict-mode fixture mismatch as such, not as an unreachable model", async () => {
    server.use(
      http.post('*/model/:modelId/converse-stream', () =>
        HttpResponse.json(
          { message: 'No fixture matches this ConverseStream request.' },
          { status: 400, headers: { 'x-amzn-errortype': 'EmulatorFixtureMismatch' } },
        ),
      ),
    );
    const error = await collect().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelFixtureMismatchError);
    expect(error).toMatchObject({ code: 'MODEL_FIXTURE_MISMATCH', retryable: false });
  });

  it('stops reading and throws the abort reason when the signal aborts', async () => {
    server.use(
      http.post('*/model/:modelId/converse-stream', () =>
        eventStream([['contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'never read' } }]]),
      ),
    );
    const controller = new AbortController();
    const reason = new Error('client gone');
    controller.abort(reason);
    const run = async () => {
      for await (const _ of model.stream({ messages: [], tools: [] }, controller.signal)) {
        // nothing
      }
    };
    await expect(run()).rejects.toBe(reason);
  });
});
