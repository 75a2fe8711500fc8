import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConverseBody } from '../../../../emulator/bedrock-types.ts';
import { loadGuardrails } from '../../../../emulator/guardrails.ts';
import { fixturePaths } from '../../../../emulator/repository-paths.ts';
import { createBedrockRuntimeClient } from '../../../../src/adapters/bedrock/clients.ts';
import { createBedrockModelClient } from '../../../../src/adapters/bedrock/model-client.ts';
import type { ModelEvent } from '../../../../src/chat/ports.ts';
import { createTestEmulator } from '../../emulator/support/test-emulator.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
const MODEL_ID = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

/** The adapter fed what Bedrock sends for `body` (the emulator's answer to it), whatever the adapter asked. */
async function adapterEvents(body: ConverseBody): Promise<ModelEvent[]> {
  const emulator = createTestEmulator({ guardrails: loadGuardrails(fixturePaths().guardrails) });
  server.use(
    http.post('*/model/:modelId/converse-stream', () =>
      emulator.handle({ operation: 'ConverseStream', target: MODEL_ID, body, headers: new Headers() }),
    ),
  );
  const model = createBedrockModelClient({
    client: createBedrockRuntimeClient({ region: 'us-east-1' }),
    modelId: MODEL_ID,
    systemPrompt: 'Be brief.',
    maxTokens: 4096,
  });
  const events: ModelEvent[] = [];
  for await (const event of model.stream({ messages: [], tools: [] }, new AbortController().signal))
    events.push(event);
  return events;
}

const textOf = (events: ModelEvent[]) =>
  events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');

describe('the production model adapter, with Bedrock features the chat does not ask for itself', () => {
  it('keeps extended thinking out of the answer text', async () => {
    const events = await adapterEvents({
      messages: [{ role: 'user', content: [{ text: 'Hello there' }] }],
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
      inferenceConfig: { maxTokens: 4096 },
    });

    expect(textOf(events)).toMatch(/^You said: “Hello there”/);
    expect(textOf(events)).not.toContain('The user asks');
  });

  it('ends an answer a guardrail blocked with guardrail_intervened and the guardrail’s message', async () => {
    const events = await adapterEvents({
      messages: [{ role: 'user', content: [{ text: 'Which stocks should I buy?' }] }],
      guardrailConfig: {
        guardrailIdentifier: 'localguardrail1',
        guardrailVersion: 'DRAFT',
        trace: 'enabled',
      },
    });

    expect(textOf(events)).toBe('Sorry, the model cannot answer this question.');
    expect(events.find((event) => event.type === 'stop')).toEqual({
      type: 'stop',
      stopReason: 'guardrail_intervened',
    });
  });
});
