import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { createEmulator, type Emulator } from '../../emulator/emulator.ts';
import { loadKnowledgeBase } from '../../emulator/knowledge-base.ts';
import { fixturePaths } from '../../emulator/repository-paths.ts';
import { startEmulatorServer } from '../../emulator/server.ts';
import { createHttpHandler } from '../../src/adapters/http-handler.ts';
import { type Summary, summarize } from '../support/stats.ts';

export interface EmulatorFirstEventResult {
  /** emulator.handle() to the first event-stream frame's bytes, in process, no network. */
  inProcess: Summary;
  /** ConverseStream through the SDK to the standalone emulator server, request to first decoded event. */
  sdkHttp1: Summary;
  /** The same with the SDK's default client (its HTTP/2 handler). */
  sdkDefault: Summary;
}

const MODEL_ID = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const BODY = { messages: [{ role: 'user', content: [{ text: 'Hello there' }] }] };
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * The emulator's own cost to the first event at zero pace (the scripted model answering at once), and the same
 * through the SDK over each transport the emulator serves. The in-process figure is what the emulator adds to
 * a test; the SDK figures add signing, HTTP and decoding on a loopback socket.
 */
export async function measureEmulatorFirstEvent(options: {
  requests: number;
  warmup: number;
}): Promise<EmulatorFirstEventResult> {
  const emulator = createEmulator({
    mode: 'scripted',
    fixtures: [],
    knowledgeBase: loadKnowledgeBase(fixturePaths().knowledgeBase),
    pace: { firstTokenMs: 0, tokenMs: 0 },
    replayPacing: 0,
  });
  const inProcess = await sample(options, () => firstFrameInProcess(emulator));

  const server = await startEmulatorServer({ emulator });
  try {
    // As src/adapters/bedrock/clients.ts builds them (HTTP/1.1 keep-alive), with dummy keys of its own.
    const http1 = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: CREDENTIALS,
      requestHandler: createHttpHandler(),
    });
    const http2 = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: CREDENTIALS,
    });
    // The two transports in alternating blocks, so a busy spell on the machine weighs on both alike.
    const [sdkHttp1, sdkDefault] = (await sampleAlternating(options, [
      () => firstEventThroughSdk(http1),
      () => firstEventThroughSdk(http2),
    ])) as [Summary, Summary];
    http1.destroy();
    http2.destroy();
    return { inProcess, sdkHttp1, sdkDefault };
  } finally {
    emulator.resetCalls();
    await server.close();
  }
}

async function sampleAlternating(
  options: { requests: number; warmup: number },
  subjects: Array<() => Promise<number>>,
): Promise<Summary[]> {
  for (let i = 0; i < options.warmup; i++) for (const once of subjects) await once();
  const samples: number[][] = subjects.map(() => []);
  const block = Math.max(1, Math.ceil(options.requests / 10));
  for (let done = 0; done < options.requests; done += block) {
    for (const [index, once] of subjects.entries()) {
      for (let i = done; i < Math.min(done + block, options.requests); i++)
        samples[index]?.push(await once());
    }
  }
  return samples.map((sample) => summarize(sample));
}

async function sample(options: { requests: number; warmup: number }, once: () => Promise<number>) {
  for (let i = 0; i < options.warmup; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < options.requests; i++) samples.push(await once());
  return summarize(samples);
}

async function firstFrameInProcess(emulator: Emulator): Promise<number> {
  const headers = new Headers({
    authorization:
      'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000',
  });
  const started = performance.now();
  const response = await emulator.handle({
    operation: 'ConverseStream',
    target: MODEL_ID,
    body: BODY,
    headers,
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  await reader.read();
  const elapsed = performance.now() - started;
  await reader.cancel();
  return elapsed;
}

async function firstEventThroughSdk(client: BedrockRuntimeClient): Promise<number> {
  const started = performance.now();
  const response = await client.send(new ConverseStreamCommand({ modelId: MODEL_ID, ...BODY } as never));
  let elapsed = 0;
  for await (const _event of response.stream ?? []) {
    if (elapsed === 0) elapsed = performance.now() - started;
  }
  return elapsed;
}
