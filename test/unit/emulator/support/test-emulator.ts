import {
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { applyDummyAwsCredentials } from '../../../../emulator/dummy-aws-credentials.ts';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../../../emulator/emulator.ts';
import { loadKnowledgeBase } from '../../../../emulator/knowledge-base.ts';
import { fixturePaths } from '../../../../emulator/repository-paths.ts';
import { OFFLINE_TARGET } from '../../../../recorder/scenario-runner.ts';
import { createBedrockRuntimeClient } from '../../../../src/adapters/bedrock/clients.ts';
import { createBedrockAgentRuntimeClient } from '../../../../src/adapters/bedrock/knowledge-base.ts';

export const knowledgeBase = loadKnowledgeBase(fixturePaths().knowledgeBase);

/** An emulator for tests: scripted pace 0, recorded pacing kept, no fixtures unless given. */
export function createTestEmulator(options: Partial<EmulatorOptions> = {}): Emulator {
  return createEmulator({
    mode: 'auto',
    fixtures: [],
    knowledgeBase,
    pace: { firstTokenMs: 0, tokenMs: 0 },
    replayPacing: 1,
    ...options,
  });
}

/**
 * Headers of a request signed the way the SDK signs (any key works offline), for tests that call the emulator
 * with plain `fetch`: like AWS, it refuses requests that carry no credentials.
 */
export const SIGNED_HEADERS = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=local/20260115/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000',
  'x-amz-date': '20260115T093000Z',
};

/** Any host: msw answers in-process, whatever the SDK's endpoint. */
export const FAKE_BEDROCK_ENDPOINT = 'http://bedrock.emulator.test';

/** Both Bedrock clients exactly as the Lambda builds them (HTTP/1.1 handler, 3 attempts), with dummy keys. */
export function createLambdaBedrockClients(endpoint = FAKE_BEDROCK_ENDPOINT) {
  applyDummyAwsCredentials();
  const location = { region: OFFLINE_TARGET.region, endpoint };
  return { runtime: createBedrockRuntimeClient(location), agent: createBedrockAgentRuntimeClient(location) };
}

export interface TimedEvent {
  event: ConverseStreamOutput;
  /** Milliseconds since the request was sent. */
  atMs: number;
}

/** Sends one ConverseStream request and reads the whole stream; a failure is returned, not thrown. */
export async function converseStream(
  client: ReturnType<typeof createBedrockRuntimeClient>,
  input: ConverseStreamCommandInput,
  options: { abortSignal?: AbortSignal } = {},
): Promise<{ events: TimedEvent[]; error?: Error & { $metadata?: { attempts?: number } } }> {
  const started = performance.now();
  const events: TimedEvent[] = [];
  try {
    const response = await client.send(new ConverseStreamCommand(input), options);
    for await (const event of response.stream ?? [])
      events.push({ event, atMs: performance.now() - started });
    return { events };
  } catch (error) {
    return { events, error: error as Error };
  }
}

/** A one-question ConverseStream request with the offline stack's model. */
export function question(
  text: string,
  extra: Partial<ConverseStreamCommandInput> = {},
): ConverseStreamCommandInput {
  return { modelId: OFFLINE_TARGET.modelId, messages: [{ role: 'user', content: [{ text }] }], ...extra };
}

/** The text deltas of a stream, joined. */
export const streamedText = (events: TimedEvent[]) =>
  events.map(({ event }) => event.contentBlockDelta?.delta?.text ?? '').join('');
