import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, type Interaction, loadFixtures } from '../../../emulator/fixtures.ts';
import { createBedrockHandlers } from '../../../emulator/handlers.ts';
import { fixturePaths, REPOSITORY_ROOT } from '../../../emulator/repository-paths.ts';
import { findFixtureDrift, REFRESH_COMMAND } from '../../../recorder/fixture-drift.ts';
import { readScenario } from '../../../recorder/scenario.ts';
import { OFFLINE_TARGET } from '../../../recorder/scenario-runner.ts';
import { readResourceFixtures } from '../../../seed/seed-resources.ts';
import { createHttpHandler } from '../../../src/adapters/http-handler.ts';
import {
  createLambdaBedrockClients,
  createTestEmulator,
  FAKE_BEDROCK_ENDPOINT,
  knowledgeBase,
} from '../emulator/support/test-emulator.ts';

const paths = fixturePaths();
const fixtures = loadFixtures(paths.bedrock);
const resources = readResourceFixtures(REPOSITORY_ROOT);

const streamOf = (interaction: Interaction) => interaction.response.events ?? [];
const toolUsesIn = (interaction: Interaction) =>
  streamOf(interaction).filter((event) => event.event === 'contentBlockStart').length;
const has = (fixture: Fixture, test: (interaction: Interaction) => boolean) =>
  fixture.interactions.some(test);
const requestText = (interaction: Interaction) => JSON.stringify(interaction.request.body);

describe('the committed fixtures', () => {
  it('are at least ten', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  it.each<[string, (fixture: Fixture) => boolean]>([
    [
      'a plain answer',
      (f) =>
        f.interactions.length === 1 &&
        streamOf(f.interactions[0] as Interaction).some((e) => e.event === 'messageStop'),
    ],
    [
      'a kb_lookup tool use with its Retrieve',
      (f) =>
        has(f, (i) => i.operation === 'Retrieve') &&
        has(f, (i) => requestText(i).includes('"name":"kb_lookup","input"')),
    ],
    [
      'a current_time tool use',
      (f) => has(f, (i) => requestText(i).includes('"name":"current_time","input"')),
    ],
    [
      'a lookup_resource tool use',
      (f) => has(f, (i) => requestText(i).includes('"name":"lookup_resource","input"')),
    ],
    ['several tool calls in one response', (f) => has(f, (i) => toolUsesIn(i) >= 2)],
    [
      'a multi-turn conversation',
      (f) => has(f, (i) => (requestText(i).match(/"role":"user","content":\[\{"text"/g) ?? []).length >= 2),
    ],
    [
      'a long answer (200+ deltas)',
      (f) => has(f, (i) => streamOf(i).filter((e) => e.event === 'contentBlockDelta').length >= 200),
    ],
    ['a tool error', (f) => has(f, (i) => requestText(i).includes('"status":"error"'))],
    ['an HTTP 429 throttle', (f) => has(f, (i) => i.response.status === 429)],
    [
      'an in-stream throttlingException',
      (f) => has(f, (i) => streamOf(i).some((e) => e.exception === 'throttlingException')),
    ],
    [
      'a modelStreamErrorException',
      (f) => has(f, (i) => streamOf(i).some((e) => e.exception === 'modelStreamErrorException')),
    ],
    [
      'a validation error',
      (f) =>
        has(f, (i) => i.response.headers['x-amzn-errortype']?.startsWith('ValidationException') ?? false),
    ],
  ])('include %s', (_kind, isKind) => {
    expect(fixtures.filter(isKind).map((fixture) => fixture.name)).not.toEqual([]);
  });

  it('say honestly where they come from: every synthetic one names its scenario', () => {
    for (const fixture of fixtures.filter((f) => f.source === 'synthetic')) {
      expect(fixture.scenario, fixture.name).toBe(`fixtures/scenarios/${fixture.name}.json`);
    }
  });
});

/** The SDK's name for an in-stream exception or an error type header: throttlingException → ThrottlingException. */
const sdkErrorName = (type: string) => `${type[0]?.toUpperCase()}${type.slice(1).split(':')[0]}`;

describe.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
  'fixture %s, replayed in strict mode through the SDK',
  (_name, fixture) => {
    const emulator = createTestEmulator({ mode: 'strict', fixtures: [fixture], replayPacing: 0 });
    const server = setupServer(...createBedrockHandlers(emulator));
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterAll(() => server.close());
    // One attempt per request, so each recorded interaction answers exactly one call; the engine-level check
    // below replays the SDK's retries.
    const runtime = new BedrockRuntimeClient({
      region: OFFLINE_TARGET.region,
      endpoint: FAKE_BEDROCK_ENDPOINT,
      requestHandler: createHttpHandler(),
      maxAttempts: 1,
    });
    const { agent } = createLambdaBedrockClients();

    it.each(fixture.interactions.map((interaction, index) => [index + 1, interaction] as const))(
      'answers interaction %i as recorded',
      async (number, interaction) => {
        const { response } = interaction;
        const errorType = response.headers['x-amzn-errortype'];
        if (interaction.operation === 'Retrieve') {
          const output = await agent.send(
            new RetrieveCommand({
              knowledgeBaseId: interaction.request.knowledgeBaseId,
              ...interaction.request.body,
            } as never),
          );
          expect(output.retrievalResults).toEqual(
            (response.body as { retrievalResults: unknown }).retrievalResults,
          );
        } else {
          const events: ConverseStreamOutput[] = [];
          const reading = (async () => {
            const output = await runtime.send(
              new ConverseStreamCommand({
                modelId: interaction.request.modelId,
                ...interaction.request.body,
              } as never),
            );
            for await (const event of output.stream ?? []) events.push(event);
          })();
          const exception = streamOf(interaction).find((event) => event.exception)?.exception;
          const expectedError = errorType ?? exception;
          if (expectedError) {
            await expect(reading).rejects.toMatchObject({ name: sdkErrorName(expectedError) });
          } else {
            await reading;
          }
          const recorded = streamOf(interaction).filter((event) => event.event);
          expect(events.map((event) => Object.keys(event)[0])).toEqual(recorded.map((event) => event.event));
          for (const [index, event] of recorded.entries()) {
            expect(events[index]?.[event.event as keyof ConverseStreamOutput]).toEqual(
              asTheSdkSeesIt(event.payload),
            );
          }
        }
        expect(emulator.calls().at(-1)?.source).toBe(`fixture:${fixture.name}#${number}`);
      },
    );
  },
);

describe('the synthetic fixtures against today’s engine', () => {
  it.each(fixtures.filter((fixture) => fixture.scenario).map((fixture) => [fixture.name, fixture] as const))(
    '%s still matches every request its scenario makes',
    async (_name, fixture) => {
      const scenario = readScenario(join(REPOSITORY_ROOT, fixture.scenario ?? ''));

      const drift = await findFixtureDrift(fixture, scenario, { knowledgeBase, resources });

      expect(drift, drift.join('\n')).toEqual([]);
    },
  );

  it('say which fixture went stale, what differs, and the command that brings it back in line', async () => {
    const fixture = fixtures.find((f) => f.name === 'plain-answer') as Fixture;
    const stale = structuredClone(fixture);
    (stale.interactions[0]?.request.body as { system: Array<{ text: string }> }).system = [
      { text: 'An older prompt.' },
    ];
    const scenario = readScenario(join(REPOSITORY_ROOT, fixture.scenario ?? ''));

    const [problem] = await findFixtureDrift(stale, scenario, { knowledgeBase, resources });

    expect(problem).toContain('fixtures/bedrock/plain-answer.json no longer matches what the engine does');
    expect(problem).toContain('system prompt differs, system[0].text: fixture "An older prompt."');
    expect(problem).toContain(REFRESH_COMMAND);
  });
});

describe('fixtures/ holds no secrets', () => {
  const files = readdirSync(join(REPOSITORY_ROOT, 'fixtures'), { recursive: true, encoding: 'utf8' })
    .map((file) => join(REPOSITORY_ROOT, 'fixtures', file))
    .filter((path) => /\.(json|md)$/.test(path));
  // Written independently of emulator/redaction.ts, so a gap in the redactor cannot hide here too.
  const secrets: Array<[string, RegExp]> = [
    ['an authorization header', /"authorization"\s*:|AWS4-HMAC-SHA256 Credential=/i],
    ['a security token header', /x-amz-security-token/i],
    ['a signing date header', /x-amz-date/i],
    // A presigned URL's signature the recorder redacted is fine.
    ['a signature', /Signature=(?!<redacted>)/],
    ['an access key id', /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/],
    ['an account id in an ARN', /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?!000000000000:)\d{12}:/],
  ];

  it('scans every fixture and knowledge-base file', () => {
    expect(files.length).toBeGreaterThanOrEqual(fixtures.length + 6);
  });

  it.each(secrets)('finds no %s', (_what, pattern) => {
    const leaking = files.filter((path) => pattern.test(readFileSync(path, 'utf8')));
    expect(leaking.map((path) => relative(REPOSITORY_ROOT, path))).toEqual([]);
  });

  it.each(secrets)('would notice %s', (_what, pattern) => {
    const samples = [
      '"authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/bedrock/aws4_request, Signature=abc"',
      '"x-amz-security-token": "IQoJb3JpZ2luX2VjE"',
      '"x-amz-date": "20260101T000000Z"',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/x',
    ];
    expect(samples.some((sample) => pattern.test(sample))).toBe(true);
  });
});

/**
 * A recorded event payload as the SDK hands it over: without the random-length `"p"` padding every real event
 * carries, and without empty structures (`"serverToolUsage": {}`), which the SDK's deserializer leaves out.
 */
function asTheSdkSeesIt(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asTheSdkSeesIt);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value)
    .filter(([key]) => key !== 'p')
    .map(([key, inner]) => [key, asTheSdkSeesIt(inner)] as const)
    .filter(
      ([, inner]) =>
        !(
          typeof inner === 'object' &&
          inner !== null &&
          !Array.isArray(inner) &&
          Object.keys(inner).length === 0
        ),
    );
  return Object.fromEntries(entries);
}
