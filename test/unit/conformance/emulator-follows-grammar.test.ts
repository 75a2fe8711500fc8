import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConverseBody } from '../../../emulator/bedrock-types.ts';
import { serviceShapes } from '../../../emulator/service-model/service-shapes.ts';
import { createTestEmulator } from '../emulator/support/test-emulator.ts';
import {
  allowedByModel,
  type DecodedEvent,
  decodeEvents,
  eventOrderProblems,
  isPadding,
  type JsonType,
  keyPaths,
  modelPaths,
  unsortedKeys,
} from './grammar.ts';
import { CONFORMANCE_DIR, RECORDINGS, type Recording, recordedConverseBodies } from './recordings.ts';

const streams = RECORDINGS.filter((recording) => recording.stream);
const bodies = [
  ...RECORDINGS.filter((recording) => recording.json && recording.status === 200).map((r) => ({
    name: r.name,
    json: r.json as Record<string, unknown>,
  })),
  ...recordedConverseBodies(),
];
const eventShapes = serviceShapes('bedrock-runtime').shapes.ConverseStreamOutput?.members ?? {};

/** Per event type, every key path real events carried, with its JSON type. */
const recordedEventPaths = new Map<string, Map<string, JsonType>>();
for (const recording of streams) {
  for (const { event, payload } of decodeEvents(recording.stream as Uint8Array)) {
    const paths = recordedEventPaths.get(event) ?? new Map<string, JsonType>();
    for (const [path, type] of keyPaths(payload)) paths.set(path, type);
    recordedEventPaths.set(event, paths);
  }
}
const recordedBodyPaths = new Map<string, JsonType>();
for (const { json } of bodies) for (const [path, type] of keyPaths(json)) recordedBodyPaths.set(path, type);

/** The emulator's answer to a recorded request, as the SDK would have sent it (signed, in the same region). */
async function emulatorAnswer(recording: Recording, body = recording.request as ConverseBody) {
  const emulator = createTestEmulator({ mode: 'scripted' });
  const response = await emulator.handle({
    operation: recording.operation,
    target: recording.modelId,
    body,
    headers: new Headers(),
    signature: { ok: true, region: recording.region },
  });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** What in an answer's events breaks the recorded grammar. */
function grammarProblems(events: DecodedEvent[]): string[] {
  const problems = eventOrderProblems(events);
  for (const [index, { event, headerNames, headers, payload }] of events.entries()) {
    const where = `event ${index} (${event})`;
    if (headerNames.join(',') !== ':event-type,:content-type,:message-type') {
      problems.push(`${where}: headers ${headerNames}`);
    }
    if (headers[':content-type'] !== 'application/json' || headers[':message-type'] !== 'event') {
      problems.push(`${where}: header values ${JSON.stringify(headers)}`);
    }
    if (!isPadding(payload.p)) problems.push(`${where}: no "p" padding`);
    for (const path of unsortedKeys(payload)) problems.push(`${where}: keys out of order at ${path}`);
    const recorded = recordedEventPaths.get(event) ?? new Map();
    const modelled = modelPaths(eventShapes[event]?.shape ?? '');
    modelled.add('p');
    for (const [path, type] of keyPaths(payload)) {
      if (!recorded.has(path) && !allowedByModel(path, modelled))
        problems.push(`${where}: unknown key ${path}`);
      const recordedType = recorded.get(path);
      if (recordedType && recordedType !== type && !(recordedType === 'null' || type === 'null')) {
        problems.push(`${where}: ${path} is ${type}, recorded ${recordedType}`);
      }
    }
  }
  return problems;
}

describe('the recordings the grammar is read from', () => {
  it('hold real event streams and Converse bodies', () => {
    expect(streams.length).toBeGreaterThanOrEqual(15);
    expect(bodies.length).toBeGreaterThanOrEqual(10);
  });

  it.each(streams.map((recording) => [recording.name, recording] as const))(
    '%s follows the grammar itself (so the checks below can fail only on the emulator)',
    (_name, recording) => {
      expect(grammarProblems(decodeEvents(recording.stream as Uint8Array))).toEqual([]);
    },
  );
});

describe('the emulator, asked what the recordings asked', () => {
  const requests = RECORDINGS.filter((recording) => recording.request);

  it.each(requests.map((recording) => [recording.name, recording] as const))(
    'answers %s with the same status and headers, in Bedrock’s grammar',
    async (_name, recording) => {
      const { response, bytes } = await emulatorAnswer(recording);

      expect(response.status).toBe(recording.status);
      expect(response.headers.get('content-type')).toBe(recording.headers['content-type']);
      expect(response.headers.get('x-amzn-errortype')).toBe(recording.headers['x-amzn-errortype'] ?? null);
      if (recording.status >= 400) {
        expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual(recording.json);
      } else if (recording.stream) {
        expect(grammarProblems(decodeEvents(bytes))).toEqual([]);
      } else {
        const body = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
        const allowed = modelPaths('ConverseResponse');
        expect(unsortedKeys(body)).toEqual([]);
        expect(
          [...keyPaths(body).keys()].filter(
            (path) => !recordedBodyPaths.has(path) && !allowedByModel(path, allowed),
          ),
        ).toEqual([]);
        expect(Object.keys(body)).toEqual(
          expect.arrayContaining(['metrics', 'output', 'stopReason', 'usage']),
        );
      }
    },
  );

  const current = requests.filter(
    (recording) => recording.name.includes('prompt_caching') || recording.name.startsWith('issue-18994'),
  );
  it.each(current.map((recording) => [recording.name, recording] as const))(
    'carries exactly the usage (and messageStop) members of the current recording %s',
    async (_name, recording) => {
      const { bytes } = await emulatorAnswer(recording);
      const membersOf = (json: Record<string, unknown> | undefined, key: string) =>
        Object.keys((json?.[key] ?? {}) as object).sort();
      if (recording.stream) {
        const recorded = decodeEvents(recording.stream);
        const emulated = decodeEvents(bytes);
        const payloadOf = (events: DecodedEvent[], name: string) =>
          events.find(({ event }) => event === name)?.payload;
        expect(membersOf(payloadOf(emulated, 'metadata'), 'usage')).toEqual(
          membersOf(payloadOf(recorded, 'metadata'), 'usage'),
        );
        expect(Object.keys(payloadOf(emulated, 'messageStop') ?? {}).sort()).toEqual(
          Object.keys(payloadOf(recorded, 'messageStop') ?? {}).sort(),
        );
      } else {
        const body = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
        expect(membersOf(body, 'usage')).toEqual(membersOf(recording.json, 'usage'));
      }
    },
  );

  it('writes a cache write, then a cache read, for the recorded prompt-caching pair, as Bedrock did', async () => {
    const [write, read] = RECORDINGS.filter((recording) =>
      recording.name.startsWith('test_converse_with_prompt_caching'),
    );
    const emulator = createTestEmulator({ mode: 'scripted' });
    const usageOf = async (recording: Recording) => {
      const response = await emulator.handle({
        operation: 'Converse',
        target: recording.modelId,
        body: recording.request,
        headers: new Headers(),
      });
      return ((await response.json()) as { usage: Record<string, number> }).usage;
    };

    const first = await usageOf(write as Recording);
    const second = await usageOf(read as Recording);

    expect([first.cacheWriteInputTokens, first.cacheReadInputTokens]).toEqual([expect.any(Number), 0]);
    expect(first.cacheWriteInputTokens).toBeGreaterThan(1000);
    expect(second).toMatchObject({
      cacheReadInputTokens: first.cacheWriteInputTokens,
      cacheWriteInputTokens: 0,
    });
    expect((write as Recording).json?.usage).toMatchObject({ cacheReadInputTokens: 0 });
    expect((read as Recording).json?.usage).toMatchObject({ cacheWriteInputTokens: 0 });
  });
});

describe('error messages, word for word', () => {
  const recordedMessage = (file: string) =>
    JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'vercel', file), 'utf8')) as {
      message?: string;
      body?: { message: string };
    };

  it('words a tool name that breaks the service model’s pattern as Bedrock does', async () => {
    const recorded = recordedMessage('bedrock-invalid-tool-name-validation-error.json').message;
    const { response, bytes } = await emulatorAnswer(RECORDINGS[0] as Recording, {
      messages: [
        { role: 'user', content: [{ text: 'Look it up' }] },
        {
          role: 'assistant',
          content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'kb.lookup', input: {} } }],
        },
        { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ text: 'none' }] } }] },
      ],
      toolConfig: { tools: [{ toolSpec: { name: 'kb_lookup', inputSchema: { json: { type: 'object' } } } }] },
    });

    expect(response.status).toBe(400);
    expect(JSON.parse(new TextDecoder().decode(bytes)).message).toBe(recorded);
  });

  it('words an empty message content as Bedrock does', async () => {
    const recorded = RECORDINGS.find((r) => r.name === 'amazon-bedrock-empty-message-validation-error.json');
    const { response, bytes } = await emulatorAnswer(recorded as Recording, {
      messages: [
        { role: 'user', content: [{ text: 'Hi' }] },
        { role: 'assistant', content: [] },
        { role: 'user', content: [{ text: 'Hello?' }] },
      ],
    });

    expect(response.status).toBe(recorded?.status);
    expect(response.headers.get('x-amzn-errortype')).toBe(recorded?.headers['x-amzn-errortype']);
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual(recorded?.json);
  });
});
