import { readFileSync } from 'node:fs';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyDummyAwsCredentials } from '../../../emulator/dummy-aws-credentials.ts';
import type { Emulator } from '../../../emulator/emulator.ts';
import {
  concatBytes,
  EVENT_STREAM_CONTENT_TYPE,
  encodeFrame,
  eventHeaders,
} from '../../../emulator/event-stream.ts';
import { type Fixture, type Interaction, readFixture } from '../../../emulator/fixtures.ts';
import { REPOSITORY_ROOT } from '../../../emulator/repository-paths.ts';
import { type EmulatorServer, startEmulatorServer } from '../../../emulator/server.ts';
import { RecordingError } from '../../../recorder/errors.ts';
import { recordScenario, writeFixture } from '../../../recorder/recorder.ts';
import { DEFAULT_SCENARIO_CLOCK, type Scenario } from '../../../recorder/scenario.ts';
import { OFFLINE_TARGET } from '../../../recorder/scenario-runner.ts';
import { readResourceFixtures } from '../../../seed/seed-resources.ts';
import { temporaryDirectory } from '../../support/temporary-directory.ts';
import { startFakeUpstream, type UpstreamAnswer } from '../emulator/support/fake-upstream.ts';
import { createTestEmulator, SIGNED_HEADERS } from '../emulator/support/test-emulator.ts';

const resources = readResourceFixtures(REPOSITORY_ROOT);
const scenario = (message: string): Scenario => ({
  name: 'round-trip',
  description: 'recorder test',
  clock: DEFAULT_SCENARIO_CLOCK,
  turns: [{ message }],
  file: 'fixtures/scenarios/round-trip.json',
});

const servers: Array<{ close(): Promise<void> }> = [];
beforeEach(() => applyDummyAwsCredentials());
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** Writes the fixture to disk and reads it back: what replays is the committed file, not the object in memory. */
function throughDisk(fixture: Fixture): Fixture {
  return readFixture(writeFixture(fixture, temporaryDirectory('fixtures-')));
}

/** The bytes a replay of `fixture` sends for each of its ConverseStream requests, over HTTP like the stack. */
async function replayedStreamBodies(fixture: Fixture): Promise<Uint8Array[]> {
  const replay = await startEmulatorServer({
    emulator: createTestEmulator({ mode: 'strict', fixtures: [fixture], replayPacing: 0 }),
  });
  servers.push(replay);
  const bodies: Uint8Array[] = [];
  for (const { operation, request } of fixture.interactions) {
    if (operation !== 'ConverseStream') continue;
    const response = await fetch(
      `${replay.url}/model/${encodeURIComponent(request.modelId ?? '')}/converse-stream`,
      {
        method: 'POST',
        headers: SIGNED_HEADERS,
        body: JSON.stringify(request.body),
      },
    );
    bodies.push(new Uint8Array(await response.arrayBuffer()));
  }
  return bodies;
}

/** A scripted emulator that also keeps the exact bytes of every ConverseStream body it sends. */
function tapStreamBodies(emulator: Emulator): { emulator: Emulator; sent: Array<Promise<Uint8Array>> } {
  const sent: Array<Promise<Uint8Array>> = [];
  return {
    sent,
    emulator: {
      ...emulator,
      async handle(request) {
        const response = await emulator.handle(request);
        if (request.operation !== 'ConverseStream' || !response.body) return response;
        const [toClient, toTest] = response.body.tee();
        sent.push(new Response(toTest).arrayBuffer().then((buffer) => new Uint8Array(buffer)));
        return new Response(toClient, { status: response.status, headers: response.headers });
      },
    },
  };
}

function frameBytes(headers: Record<string, string>, payload: string): Uint8Array {
  return encodeFrame({ headers, payload });
}

const streamAnswer = (frames: Uint8Array[]): UpstreamAnswer => ({
  status: 200,
  headers: { 'content-type': EVENT_STREAM_CONTENT_TYPE },
  chunks: frames,
});

describe('recordScenario against a local upstream', () => {
  it('records a tool-using turn and replays every ConverseStream body byte for byte', async () => {
    const upstreamEmulator = tapStreamBodies(createTestEmulator({ mode: 'scripted' }));
    const upstream: EmulatorServer = await startEmulatorServer({ emulator: upstreamEmulator.emulator });
    servers.push(upstream);

    const { fixture, turns } = await recordScenario(
      scenario('What time is it in London, and where is the status-page?'),
      {
        target: { ...OFFLINE_TARGET, endpoint: upstream.url },
        resources,
      },
    );
    const sentByUpstream = await Promise.all(upstreamEmulator.sent);

    expect(turns[0]?.summary).toMatchObject({ outcome: 'completed', modelCalls: 2, toolCalls: 2 });
    expect(fixture).toMatchObject({
      name: 'round-trip',
      source: 'synthetic',
      scenario: 'fixtures/scenarios/round-trip.json',
    });
    expect(fixture.interactions.map((interaction) => interaction.operation)).toEqual([
      'ConverseStream',
      'ConverseStream',
    ]);
    expect(sentByUpstream).toHaveLength(2);
    const replayed = await replayedStreamBodies(throughDisk(fixture));
    expect(replayed.map((bytes) => Buffer.from(bytes).toString('base64'))).toEqual(
      sentByUpstream.map((bytes) => Buffer.from(bytes).toString('base64')),
    );
  });

  it('records Retrieve calls in request order, with the knowledge base answer as readable JSON', async () => {
    const upstream = await startEmulatorServer({ emulator: createTestEmulator({ mode: 'scripted' }) });
    servers.push(upstream);

    const { fixture } = await recordScenario(scenario('How do I reset my password?'), {
      target: { ...OFFLINE_TARGET, endpoint: upstream.url },
      resources,
    });

    expect(fixture.interactions.map((interaction) => interaction.operation)).toEqual([
      'ConverseStream',
      'Retrieve',
      'ConverseStream',
    ]);
    const retrieve = fixture.interactions[1];
    expect(retrieve?.request).toEqual({
      knowledgeBaseId: OFFLINE_TARGET.knowledgeBaseId,
      body: {
        retrievalQuery: { text: 'How do I reset my password?' },
        retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 5 } },
      },
    });
    const { retrievalResults } = (retrieve as Interaction).response.body as {
      retrievalResults: Array<Record<string, unknown>>;
    };
    expect(retrievalResults[0]).toMatchObject({
      location: { s3Location: { uri: 's3://local-knowledge-base/account-security.md' } },
    });
  });

  it('keeps what JSON.stringify would change (header order, payload spacing) so replay stays byte-identical', async () => {
    const frames = [
      frameBytes(
        { ':message-type': 'event', ':event-type': 'messageStart', ':content-type': 'application/json' },
        '{"role": "assistant"}',
      ),
      frameBytes(
        eventHeaders('contentBlockDelta'),
        '{"contentBlockIndex":0,"delta":{"text":"Hi"},"p":"abcdefghij"}',
      ),
      frameBytes(eventHeaders('contentBlockStop'), '{"contentBlockIndex":0}'),
      frameBytes(eventHeaders('messageStop'), '{"stopReason":"end_turn"}'),
      frameBytes(
        eventHeaders('metadata'),
        '{"usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4},"metrics":{"latencyMs":1.0}}',
      ),
    ];
    const upstream = await startFakeUpstream(() => streamAnswer(frames));
    servers.push(upstream);

    const { fixture } = await recordScenario(scenario('Hello'), {
      target: { ...OFFLINE_TARGET, endpoint: upstream.url },
      resources,
    });

    const events = fixture.interactions[0]?.response.events ?? [];
    expect(events[0]).toMatchObject({
      event: 'messageStart',
      headers: {
        ':message-type': 'event',
        ':event-type': 'messageStart',
        ':content-type': 'application/json',
      },
      payloadText: '{"role": "assistant"}',
    });
    expect(events[1]).toMatchObject({
      event: 'contentBlockDelta',
      payload: { delta: { text: 'Hi' }, p: 'abcdefghij' },
    });
    expect(events[1]).not.toHaveProperty('headers');
    expect(events[4]?.payloadText).toContain('"latencyMs":1.0');
    const [replayed] = await replayedStreamBodies(throughDisk(fixture));
    expect(Buffer.from(replayed ?? []).equals(Buffer.from(concatBytes(frames)))).toBe(true);
  });

  it('notes each event’s delay since the one before, in whole milliseconds', async () => {
    const upstream = await startEmulatorServer({
      emulator: createTestEmulator({ mode: 'scripted', pace: { firstTokenMs: 150, tokenMs: 30 } }),
    });
    servers.push(upstream);

    const { fixture } = await recordScenario(scenario('Hello #tokens:5'), {
      target: { ...OFFLINE_TARGET, endpoint: upstream.url },
      resources,
    });

    const events = fixture.interactions[0]?.response.events ?? [];
    expect(events[0]?.delayMs).toBeGreaterThanOrEqual(140);
    const deltas = events.filter((event) => event.event === 'contentBlockDelta');
    const gaps = deltas.slice(1).map((event) => event.delayMs);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20);
    for (const event of events) expect(Number.isInteger(event.delayMs)).toBe(true);
  });

  it('refuses to write a fixture whose frames it could not reproduce byte for byte', async () => {
    const codec = new EventStreamCodec(
      (bytes) => new TextDecoder().decode(bytes),
      (text) => new TextEncoder().encode(text),
    );
    const withIntegerHeader = codec.encode({
      headers: {
        ':event-type': { type: 'string', value: 'messageStart' },
        ':content-type': { type: 'string', value: 'application/json' },
        ':message-type': { type: 'string', value: 'event' },
        'x-sequence': { type: 'integer', value: 1 },
      },
      body: new TextEncoder().encode('{"role":"assistant"}'),
    });
    const upstream = await startFakeUpstream(() =>
      streamAnswer([withIntegerHeader, frameBytes(eventHeaders('messageStop'), '{"stopReason":"end_turn"}')]),
    );
    servers.push(upstream);

    await expect(
      recordScenario(scenario('Hello'), { target: { ...OFFLINE_TARGET, endpoint: upstream.url }, resources }),
    ).rejects.toThrow(RecordingError);
  });
});

describe('what the recorder keeps out of fixtures', () => {
  const accountId = '123456789012';
  const modelArn = `arn:aws:bedrock:us-east-1:${accountId}:application-inference-profile/a1b2c3d4e5f6`;
  const accessKeyId = 'AKIAIOSFODNN7EXAMPLE';

  it('never writes request headers, and redacts account ids in ARNs and access key ids in bodies', async () => {
    process.env.AWS_SESSION_TOKEN = 'session-token-that-must-not-leak';
    const upstream = await startFakeUpstream(() =>
      streamAnswer([
        frameBytes(eventHeaders('messageStart'), '{"role":"assistant"}'),
        frameBytes(
          eventHeaders('contentBlockDelta'),
          JSON.stringify({
            contentBlockIndex: 0,
            delta: { text: `Profile ${modelArn}, key ${accessKeyId}` },
          }),
        ),
        frameBytes(eventHeaders('contentBlockStop'), '{"contentBlockIndex":0}'),
        frameBytes(eventHeaders('messageStop'), '{"stopReason":"end_turn"}'),
      ]),
    );
    servers.push(upstream);

    const { fixture } = await recordScenario(scenario(`Which profile is ${modelArn}?`), {
      target: { ...OFFLINE_TARGET, modelId: modelArn, endpoint: upstream.url },
      resources,
    });
    const written = readFileSync(writeFixture(fixture, temporaryDirectory('fixtures-')), 'utf8');

    const signed = upstream.requests[0]?.headers ?? {};
    expect(signed.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\//);
    expect(signed['x-amz-security-token']).toBe('session-token-that-must-not-leak');
    expect(signed['x-amz-date']).toBeDefined();
    expect(written).not.toMatch(/authorization|x-amz-security-token|x-amz-date|AWS4-HMAC-SHA256|Signature=/i);
    expect(written).not.toContain('session-token-that-must-not-leak');
    expect(written).not.toContain(accountId);
    expect(written).not.toContain(accessKeyId);
    expect(fixture.interactions[0]?.request.modelId).toBe(
      'arn:aws:bedrock:us-east-1:000000000000:application-inference-profile/a1b2c3d4e5f6',
    );
    expect(written).toContain(
      'Which profile is arn:aws:bedrock:us-east-1:000000000000:application-inference-profile',
    );
  });

  it('lets a request from the real account match its redacted fixture', async () => {
    const upstream = await startFakeUpstream(() =>
      streamAnswer([frameBytes(eventHeaders('messageStop'), '{"stopReason":"end_turn"}')]),
    );
    servers.push(upstream);
    const { fixture } = await recordScenario(scenario('Hello'), {
      target: { ...OFFLINE_TARGET, modelId: modelArn, endpoint: upstream.url },
      resources,
    });
    const emulator = createTestEmulator({ mode: 'strict', fixtures: [fixture] });
    const recorded = fixture.interactions[0];

    await emulator.handle({
      operation: 'ConverseStream',
      target: modelArn,
      body: recorded?.request.body,
      headers: new Headers(),
    });

    expect(emulator.calls()[0]?.source).toBe('fixture:round-trip#1');
  });
});
