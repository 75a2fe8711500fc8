import { RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { type BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/emulator.ts';
import { createBedrockHandlers } from '../../../emulator/handlers.ts';
import { OFFLINE_TARGET } from '../../../recorder/scenario-runner.ts';
import { createBedrockModelClient } from '../../../src/adapters/bedrock/model-client.ts';
import {
  ModelRejectedError,
  ModelStreamError,
  ModelThrottledError,
  ModelUnavailableError,
} from '../../../src/chat/errors.ts';
import { DEFAULT_SYSTEM_PROMPT } from '../../../src/config.ts';
import { answerEvents, fixtureOf, questionBody, streamInteraction } from './support/fixture-builders.ts';
import {
  converseStream,
  createLambdaBedrockClients,
  createTestEmulator,
  FAKE_BEDROCK_ENDPOINT,
  question,
  SIGNED_HEADERS,
  streamedText,
} from './support/test-emulator.ts';

const PACED_QUESTION = 'Tell me something slowly';
const pacedFixture = fixtureOf('paced', [
  streamInteraction(
    questionBody(PACED_QUESTION),
    answerEvents(['One', ' two', ' three', ' four'], { firstMs: 300, gapMs: 100 }),
  ),
]);

let emulator: Emulator = createTestEmulator();
const server = setupServer(
  // Each test may swap the emulator; the handlers always ask the current one.
  ...createBedrockHandlers({
    handle: (request) => emulator.handle(request),
    calls: () => emulator.calls(),
    resetCalls: () => emulator.resetCalls(),
    replaceFixtures: (fixtures) => emulator.replaceFixtures(fixtures),
    get options() {
      return emulator.options;
    },
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator = createTestEmulator();
});
afterAll(() => server.close());

/** The runtime client as the Lambda builds it, sending `x-emulator-*` headers on every request. */
function runtimeClientWith(headers: Record<string, string> = {}): BedrockRuntimeClient {
  const { runtime } = createLambdaBedrockClients();
  runtime.middlewareStack.add(
    (next) => (args) => {
      Object.assign((args.request as { headers: Record<string, string> }).headers, headers);
      return next(args);
    },
    { step: 'build', name: 'emulatorHeaders' },
  );
  return runtime;
}

describe('the Bedrock handlers, through the real SDK clients', () => {
  it('stream a scripted answer that the SDK decodes event by event, in Bedrock order', async () => {
    const { events, error } = await converseStream(runtimeClientWith(), question('Hello there'));

    expect(error).toBeUndefined();
    const kinds = events.map(({ event }) => Object.keys(event)[0]);
    expect(kinds[0]).toBe('messageStart');
    expect(kinds.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
    expect(streamedText(events)).toMatch(/^You said: “Hello there”\./);
    expect(events.at(-1)?.event.metadata?.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('answer Converse (not streaming) with the same scripted reply in one message', async () => {
    const output = await runtimeClientWith().send(new ConverseCommand(question('Hello there')));

    expect(output.stopReason).toBe('end_turn');
    expect(output.output?.message?.content?.[0]?.text).toMatch(/^You said: “Hello there”\./);
  });

  it('serve Retrieve from the local knowledge base, best passage first, with scores and S3 locations', async () => {
    const { agent } = createLambdaBedrockClients();

    const { retrievalResults = [] } = await agent.send(
      new RetrieveCommand({
        knowledgeBaseId: OFFLINE_TARGET.knowledgeBaseId,
        retrievalQuery: { text: 'How do I reset my password?' },
        retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 2 } },
      }),
    );

    expect(retrievalResults).toHaveLength(2);
    expect(retrievalResults[0]?.location?.s3Location?.uri).toBe(
      's3://local-knowledge-base/account-security.md',
    );
    expect(retrievalResults[0]?.content?.text).toContain('reset');
    const scores = retrievalResults.map((result) => result.score ?? 0);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const score of scores) expect(score).toBeGreaterThan(0);
  });

  it('decode model ids that arrive URL-encoded (ARNs and inference profiles)', async () => {
    const arn =
      'arn:aws:bedrock:us-east-1:000000000000:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0';

    await converseStream(runtimeClientWith(), question('Hello there', { modelId: arn }));

    expect(emulator.calls()[0]?.target).toBe(arn);
  });

  it('answer a body that is not JSON with SerializationException', async () => {
    const response = await fetch(`${FAKE_BEDROCK_ENDPOINT}/model/m/converse-stream`, {
      method: 'POST',
      headers: SIGNED_HEADERS,
      body: '{not json',
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });
});

describe('faults, as the SDK surfaces them', () => {
  it('throttle: HTTP 429 on every attempt, so the SDK retries twice, then throws ThrottlingException', async () => {
    const { error } = await converseStream(
      runtimeClientWith({ 'x-emulator-fault': 'throttle' }),
      question('Hi'),
    );

    expect(error?.name).toBe('ThrottlingException');
    expect(error?.$metadata?.attempts).toBe(3);
    expect(emulator.calls().map((call) => call.status)).toEqual([429, 429, 429]);
  });

  it('unavailable: HTTP 503, retried like any 5xx, then ServiceUnavailableException', async () => {
    const { error } = await converseStream(
      runtimeClientWith({ 'x-emulator-fault': 'unavailable' }),
      question('Hi'),
    );

    expect(error?.name).toBe('ServiceUnavailableException');
    expect(emulator.calls()).toHaveLength(3);
  });

  it('validation: HTTP 400 ValidationException, not retried', async () => {
    const { error } = await converseStream(
      runtimeClientWith({ 'x-emulator-fault': 'validation' }),
      question('Hi'),
    );

    expect(error?.name).toBe('ValidationException');
    expect(emulator.calls()).toHaveLength(1);
  });

  it('stream-throttle: three text deltas, then a throttlingException event thrown from the stream', async () => {
    const { events, error } = await converseStream(
      runtimeClientWith({ 'x-emulator-fault': 'stream-throttle' }),
      question('Hello there'),
    );

    expect(error?.name).toBe('ThrottlingException');
    expect(events.filter(({ event }) => event.contentBlockDelta)).toHaveLength(3);
    expect(events.some(({ event }) => event.messageStop)).toBe(false);
  });

  it('stream-error=1: one delta, then a modelStreamErrorException with the original status code', async () => {
    const { events, error } = await converseStream(
      runtimeClientWith({ 'x-emulator-fault': 'stream-error=1' }),
      question('Hello there'),
    );

    expect(error?.name).toBe('ModelStreamErrorException');
    expect(error).toMatchObject({ originalStatusCode: 500 });
    expect(streamedText(events)).toBe('You');
  });

  it('stall: three deltas, then silence until the client gives up', async () => {
    const abort = new AbortController();
    const reading = converseStream(
      runtimeClientWith({ 'x-emulator-fault': 'stall' }),
      question('Hello there'),
      {
        abortSignal: abort.signal,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    abort.abort();
    const { events, error } = await reading;

    expect(events.filter(({ event }) => event.contentBlockDelta)).toHaveLength(3);
    expect(events.at(-1)?.atMs).toBeLessThan(400);
    expect(error?.message).toMatch(/abort/i);
  });

  it('slow-first-token=400: the first event waits, then the answer completes', async () => {
    const { events, error } = await converseStream(
      runtimeClientWith({ 'x-emulator-fault': 'slow-first-token=400' }),
      question('Hello there'),
    );

    expect(error).toBeUndefined();
    expect(events[0]?.atMs).toBeGreaterThanOrEqual(350);
    expect(events.some(({ event }) => event.messageStop)).toBe(true);
  });

  it('an unknown fault is refused with a message listing the known ones, never ignored', async () => {
    const { error } = await converseStream(runtimeClientWith({ 'x-emulator-fault': 'stal' }), question('Hi'));

    expect(error?.name).toBe('UnknownFaultError');
    expect(error?.message).toContain('Known faults: throttle, unavailable');
  });
});

describe('faults, as the engine’s model adapter surfaces them', () => {
  it.each([
    ['throttle', ModelThrottledError],
    ['stream-throttle', ModelThrottledError],
    ['stream-error', ModelStreamError],
    ['validation', ModelRejectedError],
    ['unavailable', ModelUnavailableError],
  ])('%s becomes %O', async (fault, errorType) => {
    const model = createBedrockModelClient({
      client: runtimeClientWith({ 'x-emulator-fault': fault }),
      modelId: OFFLINE_TARGET.modelId,
      systemPrompt: DEFAULT_SYSTEM_PROMPT,
      maxTokens: 100,
    });
    const consume = async () => {
      for await (const _event of model.stream(
        { messages: [{ role: 'user', content: [{ text: 'Hello there' }] }], tools: [] },
        new AbortController().signal,
      ));
    };

    await expect(consume()).rejects.toBeInstanceOf(errorType);
  });
});

describe('strict mode, through the SDK', () => {
  it('fails an unmatched request naming the closest fixture file and the part that differs', async () => {
    emulator = createTestEmulator({ mode: 'strict', fixtures: [pacedFixture] });

    const { error } = await converseStream(
      runtimeClientWith(),
      question(PACED_QUESTION, { system: [{ text: 'You are a pirate.' }] }),
    );

    expect(error?.name).toBe('EmulatorFixtureMismatch');
    expect(error?.message).toContain('Closest: fixtures/bedrock/paced.json (interaction 1)');
    expect(error?.message).toContain('system prompt differs, system[0].text: fixture "You are a helpful');
    expect(error?.message).toContain('request "You are a pirate."');
    expect(emulator.calls()[0]).toMatchObject({ source: 'unmatched', status: 400 });
  });

  it('names the differing message text when only the question differs', async () => {
    emulator = createTestEmulator({ mode: 'strict', fixtures: [pacedFixture] });

    const { error } = await converseStream(
      runtimeClientWith(),
      question('Tell me something quickly', { system: [{ text: DEFAULT_SYSTEM_PROMPT }] }),
    );

    expect(error?.message).toContain(
      'messages (fixture has 1, request has 1) differs, messages[0].content[0].text: fixture "Tell me something slowly", request "Tell me something quickly"',
    );
    expect(error?.message).not.toContain('system prompt differs');
  });
});

describe('replay pacing, through the SDK', () => {
  const pacedQuestion = question(PACED_QUESTION, { system: [{ text: DEFAULT_SYSTEM_PROMPT }] });

  it('keeps the recorded delays at pacing 1: time to first token and the gaps between deltas', async () => {
    emulator = createTestEmulator({ mode: 'strict', fixtures: [pacedFixture], replayPacing: 1 });

    const { events } = await converseStream(runtimeClientWith(), pacedQuestion);

    const deltas = events.filter(({ event }) => event.contentBlockDelta).map(({ atMs }) => atMs);
    expect(events[0]?.atMs).toBeGreaterThanOrEqual(250);
    expect(deltas).toHaveLength(4);
    for (let index = 1; index < deltas.length; index++) {
      expect((deltas[index] ?? 0) - (deltas[index - 1] ?? 0)).toBeGreaterThanOrEqual(70);
    }
    expect(events.at(-1)?.atMs).toBeGreaterThanOrEqual(550);
  });

  it('compresses them to nothing at pacing 0, and x-emulator-pacing overrides it per request', async () => {
    emulator = createTestEmulator({ mode: 'strict', fixtures: [pacedFixture], replayPacing: 0 });
    const compressed = await converseStream(runtimeClientWith(), pacedQuestion);
    const restored = await converseStream(runtimeClientWith({ 'x-emulator-pacing': '1' }), pacedQuestion);

    expect(streamedText(compressed.events)).toBe('One two three four');
    expect(compressed.events.at(-1)?.atMs).toBeLessThan(250);
    expect(restored.events.at(-1)?.atMs).toBeGreaterThanOrEqual(550);
  });
});
