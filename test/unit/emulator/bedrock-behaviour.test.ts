import { describe, expect, it } from 'vitest';
import type { ConverseBody, Operation } from '../../../emulator/bedrock-types.ts';
import type { Emulator } from '../../../emulator/emulator.ts';
import { decodeFrames } from '../../../emulator/event-stream.ts';
import { createGuardrailSet, loadGuardrails } from '../../../emulator/guardrails.ts';
import { fixturePaths } from '../../../emulator/repository-paths.ts';
import { createTestEmulator } from './support/test-emulator.ts';

/** Decoded Bedrock JSON: its shape is what the assertions check. */
// biome-ignore lint/suspicious/noExplicitAny: decoded wire JSON, read by path in assertions
type Payload = Record<string, any>;

const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const NAMESPACE = ':http://internal.amazon.com/coral/com.amazon.bedrock/';
const ask = (text: string, extra: ConverseBody = {}): ConverseBody => ({
  messages: [{ role: 'user', content: [{ text }] }],
  ...extra,
});

interface Answer {
  status: number;
  errorType: string | null;
  message?: string;
  events: Array<{ event: string; payload: Payload }>;
  json?: Payload;
}

async function send(
  body: ConverseBody,
  options: { emulator?: Emulator; modelId?: string; operation?: Exclude<Operation, 'Retrieve'> } = {},
): Promise<Answer> {
  const emulator = options.emulator ?? createTestEmulator();
  const response = await emulator.handle({
    operation: options.operation ?? 'ConverseStream',
    target: options.modelId ?? HAIKU,
    body,
    headers: new Headers(),
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const errorType = response.headers.get('x-amzn-errortype');
  if (response.status !== 200 || response.headers.get('content-type') === 'application/json') {
    const json = JSON.parse(new TextDecoder().decode(bytes)) as Payload;
    return { status: response.status, errorType, message: json.message, events: [], json };
  }
  const events = decodeFrames(bytes).map(({ headers, payload }) => ({
    event: headers[':event-type'] as string,
    payload: JSON.parse(payload) as Payload,
  }));
  return { status: response.status, errorType, events };
}

const textOf = (answer: Answer) => answer.events.map(({ payload }) => payload.delta?.text ?? '').join('');
const payloadOf = (answer: Answer, event: string) => answer.events.find((e) => e.event === event)?.payload;

describe('model ids and what each model supports', () => {
  it('answers an unknown model id with Bedrock’s 400', async () => {
    const answer = await send(ask('Hi'), { modelId: 'anthropic.claude-hiaku' });

    expect([answer.status, answer.errorType, answer.message]).toEqual([
      400,
      `ValidationException${NAMESPACE}`,
      'The provided model identifier is invalid.',
    ]);
  });

  it('refuses tools in a stream for a model that only uses them in Converse, and system prompts for Titan', async () => {
    const tools = { toolConfig: { tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: {} } } }] } };

    expect((await send(ask('Hi', tools), { modelId: 'amazon.titan-text-lite-v1' })).message).toBe(
      "This model doesn't support tool use in streaming mode.",
    );
    expect(
      (await send(ask('Hi', { system: [{ text: 'Be brief.' }] }), { modelId: 'amazon.titan-text-lite-v1' }))
        .message,
    ).toBe(
      "This model doesn't support system messages. Try again without a system message or use a model that supports system messages.",
    );
  });

  it('refuses an image for a text-only model', async () => {
    const image = { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } };
    const answer = await send(
      { messages: [{ role: 'user', content: [{ text: 'What is this?' }, image] }] },
      { modelId: 'amazon.nova-micro-v1:0' },
    );

    expect(answer.message).toBe(
      "This model doesn't support the image content block that you provided. Update the content block and try again.",
    );
  });
});

describe('request validation from the service model', () => {
  it('refuses maxTokens 0, a temperature above 1 and a tool name with a dot, in one message', async () => {
    const answer = await send(
      ask('Hi', {
        inferenceConfig: { maxTokens: 0, temperature: 1.5 },
        toolConfig: { tools: [{ toolSpec: { name: 'kb.lookup', inputSchema: { json: {} } } }] },
      }),
    );

    expect(answer.status).toBe(400);
    expect(answer.message).toBe(
      "3 validation errors detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1; Value 'kb.lookup' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
    );
  });

  it('refuses a maxTokens above the model’s limit with Bedrock’s wording', async () => {
    const answer = await send(ask('Hi', { inferenceConfig: { maxTokens: 8193 } }), {
      modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
    });

    expect(answer.message).toBe(
      'The maximum tokens you requested exceeds the model limit of 8192. Try again with a maximum tokens value that is lower than 8192.',
    );
  });
});

describe('inferenceConfig', () => {
  it('stops a 57-token answer at exactly maxTokens with max_tokens, and counts exactly that many', async () => {
    const answer = await send(ask('#tokens:57', { inferenceConfig: { maxTokens: 10 } }));

    const deltas = answer.events.filter((e) => e.payload.delta?.text !== undefined);
    expect(deltas).toHaveLength(10);
    expect(payloadOf(answer, 'messageStop')?.stopReason).toBe('max_tokens');
    expect(payloadOf(answer, 'metadata')?.usage.outputTokens).toBe(10);
  });

  it('ends at a stop sequence, without it, with stop_sequence (and names it, as Claude does)', async () => {
    const answer = await send(ask('#tokens:40', { inferenceConfig: { stopSequences: ['forwarded'] } }));

    expect(textOf(answer)).not.toContain('forwarded');
    expect(textOf(answer).length).toBeGreaterThan(20);
    expect(payloadOf(answer, 'messageStop')).toMatchObject({
      stopReason: 'stop_sequence',
      additionalModelResponseFields: { delta: { stop_sequence: 'forwarded' } },
    });
  });

  it('cuts a tool call’s input when maxTokens runs out inside it', async () => {
    const tools = {
      toolConfig: {
        tools: [{ toolSpec: { name: 'current_time', inputSchema: { json: { type: 'object' } } } }],
      },
    };
    const answer = await send(
      ask('What time is it in Tokyo?', { ...tools, inferenceConfig: { maxTokens: 2 } }),
    );

    const input = answer.events
      .filter((e) => e.payload.delta?.toolUse)
      .map((e) => e.payload.delta.toolUse.input)
      .join('');
    expect(payloadOf(answer, 'contentBlockStart')?.start.toolUse.name).toBe('current_time');
    expect(input.length).toBeGreaterThan(0);
    expect(() => JSON.parse(input)).toThrow();
    expect(payloadOf(answer, 'messageStop')?.stopReason).toBe('max_tokens');
  });
});

describe('tool results in every shape clients send', () => {
  const timeCall = { toolUseId: 'tooluse_1', name: 'current_time', input: { timeZone: 'Asia/Tokyo' } };
  const result = { timeZone: 'Asia/Tokyo', local: 'Thursday 18:30', utcOffset: '+09:00' };
  const withResult = (content: Array<{ text?: string; json?: unknown }>, status?: string): ConverseBody => ({
    messages: [
      { role: 'user', content: [{ text: 'What time is it in Tokyo?' }] },
      { role: 'assistant', content: [{ toolUse: timeCall }] },
      {
        role: 'user',
        content: [{ toolResult: { toolUseId: 'tooluse_1', content, ...(status ? { status } : {}) } }],
      },
    ],
    toolConfig: {
      tools: [{ toolSpec: { name: 'current_time', inputSchema: { json: { type: 'object' } } } }],
    },
  });

  it.each([
    ['a json block (this project, boto3)', [{ json: result }]],
    ['a text block holding JSON (Vercel AI SDK, LangChain)', [{ text: JSON.stringify(result) }]],
    ['text and json blocks mixed', [{ text: JSON.stringify({ timeZone: 'Asia/Tokyo' }) }, { json: result }]],
  ])('reads %s', async (_shape, content) => {
    expect(textOf(await send(withResult(content)))).toBe(
      'The current time in Asia/Tokyo is **Thursday 18:30** (UTC+09:00).',
    );
  });

  it('reports a result with status error as the tool’s failure', async () => {
    expect(textOf(await send(withResult([{ text: 'clock offline' }], 'error')))).toBe(
      'I tried `current_time` but it failed: clock offline',
    );
  });
});

describe('prompt caching', () => {
  const longSystem = 'You answer questions about the Skylark product, briefly and precisely. '.repeat(260);
  const cached = (question: string): ConverseBody => ({
    system: [{ text: longSystem }, { cachePoint: { type: 'default' } }],
    messages: [{ role: 'user', content: [{ text: question }] }],
  });
  const usageOf = async (emulator: Emulator, body: ConverseBody) =>
    payloadOf(await send(body, { emulator }), 'metadata')?.usage as {
      inputTokens: number;
      outputTokens: number;
      cacheReadInputTokens: number;
      cacheWriteInputTokens: number;
      totalTokens: number;
    };

  it('writes the prefix on the first call and reads it on the next, with the legacy twin fields', async () => {
    const emulator = createTestEmulator();

    const first = await usageOf(emulator, cached('First question'));
    const second = await usageOf(emulator, cached('Second question'));

    expect(first.cacheWriteInputTokens).toBeGreaterThanOrEqual(4096);
    expect(first).toMatchObject({
      cacheReadInputTokens: 0,
      cacheWriteInputTokenCount: first.cacheWriteInputTokens,
    });
    expect(second).toMatchObject({
      cacheReadInputTokens: first.cacheWriteInputTokens,
      cacheReadInputTokenCount: first.cacheWriteInputTokens,
      cacheWriteInputTokens: 0,
    });
    for (const usage of [first, second]) {
      expect(usage.totalTokens).toBe(
        usage.inputTokens + usage.outputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens,
      );
      expect(usage.inputTokens).toBeLessThan(40);
    }
  });

  it('expires an entry 5 minutes after its last use, and a hit starts the 5 minutes again', async () => {
    let now = 0;
    const emulator = createTestEmulator({ clock: () => now });

    await usageOf(emulator, cached('One'));
    now += 4 * 60_000;
    expect((await usageOf(emulator, cached('Two'))).cacheReadInputTokens).toBeGreaterThan(0);
    now += 4 * 60_000;
    expect((await usageOf(emulator, cached('Three'))).cacheReadInputTokens).toBeGreaterThan(0);
    now += 5 * 60_000 + 1;
    expect(await usageOf(emulator, cached('Four'))).toMatchObject({ cacheReadInputTokens: 0 });
  });

  it('caches nothing, without an error, when the prefix is under the model’s minimum', async () => {
    const usage = await usageOf(createTestEmulator(), {
      system: [{ text: 'Short system prompt.' }, { cachePoint: { type: 'default' } }],
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
    });

    expect(usage).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
  });

  it('refuses a fifth checkpoint, and any checkpoint for a model without prompt caching', async () => {
    const point = { cachePoint: { type: 'default' } };
    const five = await send({
      system: [{ text: 'a' }, point, { text: 'b' }, point, { text: 'c' }, point],
      messages: [{ role: 'user', content: [{ text: 'd' }, point, { text: 'e' }, point] }],
    });
    const unsupported = await send(cached('Hi'), { modelId: 'anthropic.claude-3-sonnet-20240229-v1:0' });

    expect(five.message).toBe(
      'The model returned the following errors: A maximum of 4 blocks with cache_control may be provided. Found 5.',
    );
    expect([unsupported.status, unsupported.errorType, unsupported.message]).toEqual([
      403,
      `AccessDeniedException${NAMESPACE}`,
      'You invoked an unsupported model or your request did not allow prompt caching.',
    ]);
  });
});

describe('extended thinking', () => {
  const thinking = (budget: number) => ({
    additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: budget } },
    inferenceConfig: { maxTokens: 4096 },
  });

  it('streams reasoning text and its signature in block 0, before the answer in block 1', async () => {
    const answer = await send(ask('Hello there', thinking(1024)));

    const reasoning = answer.events.filter((e) => e.payload.delta?.reasoningContent);
    expect(reasoning.map((e) => e.payload.contentBlockIndex)).toEqual(reasoning.map(() => 0));
    expect(reasoning.at(-1)?.payload.delta.reasoningContent.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const firstText = answer.events.findIndex((e) => e.payload.delta?.text !== undefined);
    expect(firstText).toBeGreaterThan(answer.events.indexOf(reasoning.at(-1) as never));
    expect(answer.events[firstText]?.payload.contentBlockIndex).toBe(1);
  });

  it('puts the reasoning block first in a Converse answer', async () => {
    const answer = await send(ask('Hello there', thinking(1024)), { operation: 'Converse' });

    expect(Object.keys(answer.json?.output.message.content[0])).toEqual(['reasoningContent']);
    expect(answer.json?.output.message.content[1].text).toMatch(/^You said/);
  });

  it('refuses a budget under 1024, a budget not under maxTokens, and thinking for a Nova model', async () => {
    expect((await send(ask('Hi', thinking(500)))).message).toBe(
      'The model returned the following errors: thinking.enabled.budget_tokens: Input should be greater than or equal to 1024',
    );
    expect((await send(ask('Hi', { ...thinking(2048), inferenceConfig: { maxTokens: 2048 } }))).message).toBe(
      'The model returned the following errors: `max_tokens` must be greater than `thinking.budget_tokens`.',
    );
    expect((await send(ask('Hi', thinking(1024)), { modelId: 'amazon.nova-micro-v1:0' })).message).toBe(
      'The model returned the following errors: Malformed input request: #: extraneous key [thinking] is not permitted, please reformat your input and try again.',
    );
  });
});

describe('guardrails', () => {
  const guardrails = loadGuardrails(fixturePaths().guardrails);
  const guarded = (trace: string) => ({
    guardrailConfig: { guardrailIdentifier: 'localguardrail1', guardrailVersion: 'DRAFT', trace },
  });

  it('answers a denied topic with the blocked message, guardrail_intervened and the trace', async () => {
    const answer = await send(ask('Which stocks should I buy this year?', guarded('enabled')), {
      emulator: createTestEmulator({ guardrails }),
    });

    expect(textOf(answer)).toBe('Sorry, the model cannot answer this question.');
    expect(payloadOf(answer, 'messageStop')?.stopReason).toBe('guardrail_intervened');
    expect(payloadOf(answer, 'metadata')?.trace.guardrail.inputAssessment).toEqual({
      localguardrail1: {
        topicPolicy: {
          topics: [{ action: 'BLOCKED', detected: true, name: 'Investment advice', type: 'DENY' }],
        },
      },
    });
  });

  it('leaves the trace out unless asked, and lets other questions through', async () => {
    const emulator = createTestEmulator({ guardrails });

    const blocked = await send(ask('Is bitcoin a good idea?', guarded('disabled')), { emulator });
    const allowed = await send(ask('Hello there', guarded('enabled')), { emulator });

    expect(payloadOf(blocked, 'metadata')?.trace).toBeUndefined();
    expect(payloadOf(allowed, 'messageStop')?.stopReason).toBe('end_turn');
  });

  it('blocks an answer that uses a blocked word, reporting it as an output assessment', async () => {
    const strict = createGuardrailSet([
      {
        guardrailId: 'nocanned',
        version: '1',
        name: 'no-canned',
        blockedInputMessaging: 'Input blocked.',
        blockedOutputsMessaging: 'Output blocked.',
        wordPolicy: { words: [{ text: 'canned' }] },
      },
    ]);
    const answer = await send(
      ask('Hello there', {
        guardrailConfig: { guardrailIdentifier: 'nocanned', guardrailVersion: '1', trace: 'enabled' },
      }),
      { emulator: createTestEmulator({ guardrails: strict }), operation: 'Converse' },
    );

    expect(answer.json?.output.message.content).toEqual([{ text: 'Output blocked.' }]);
    expect(answer.json?.stopReason).toBe('guardrail_intervened');
    expect(answer.json?.trace.guardrail.outputAssessments.nocanned[0].wordPolicy.customWords).toEqual([
      { action: 'BLOCKED', detected: true, match: 'canned' },
    ]);
  });

  it('refuses a guardrail that does not exist', async () => {
    const answer = await send(
      ask('Hi', { guardrailConfig: { guardrailIdentifier: 'nosuch', guardrailVersion: '1' } }),
    );

    expect(answer.message).toBe(
      'The guardrail identifier or version provided in the request does not exist.',
    );
  });
});
