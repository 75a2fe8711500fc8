import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import type { ConverseBody, Operation, RetrieveBody } from './bedrock-types.ts';
import { eventHeaders, exceptionHeaders } from './event-stream.ts';
import type { PlannedFrame, ResponsePlan } from './response-plan.ts';

export const FIXTURE_FORMAT = 'bedrock-emulator-fixture';
export const FIXTURE_VERSION = 1;

const fixtureEvent = z
  .object({
    /** Milliseconds since the previous event (for the first: since the request). */
    delayMs: z.number().nonnegative(),
    /** A normal event (`messageStart`, `contentBlockDelta`, ...), or */
    event: z.string().optional(),
    /** an in-stream exception (`throttlingException`, ...). */
    exception: z.string().optional(),
    /** Only when the recorded headers differ from the usual ones (order included). */
    headers: z.record(z.string(), z.string()).optional(),
    payload: z.unknown().optional(),
    /** Only when the recorded payload is not re-serialised byte for byte by JSON.stringify. */
    payloadText: z.string().optional(),
  })
  .refine((e) => e.event || e.exception || e.headers, 'an event needs "event", "exception" or "headers"')
  .refine(
    (e) => e.payload !== undefined || e.payloadText !== undefined,
    'an event needs "payload" or "payloadText"',
  );

const responseSchema = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()).default({}),
  /** ConverseStream: the decoded event stream. */
  events: z.array(fixtureEvent).optional(),
  /** Converse, Retrieve and errors: the JSON body. */
  body: z.unknown().optional(),
  /** Milliseconds before a JSON body was answered. */
  delayMs: z.number().nonnegative().optional(),
});

const interactionSchema = z.object({
  operation: z.enum(['Converse', 'ConverseStream', 'Retrieve']),
  request: z.object({
    modelId: z.string().optional(),
    knowledgeBaseId: z.string().optional(),
    body: z.record(z.string(), z.unknown()),
  }),
  response: responseSchema,
});

export const fixtureSchema = z.object({
  format: z.literal(FIXTURE_FORMAT),
  version: z.literal(FIXTURE_VERSION),
  name: z.string().min(1),
  description: z.string().default(''),
  /** "recorded" against AWS, or "synthetic" (recorded from the scripted model or written by hand). */
  source: z.enum(['recorded', 'synthetic']),
  recordedAt: z.string().optional(),
  interactions: z.array(interactionSchema).min(1),
});

export type Fixture = z.infer<typeof fixtureSchema> & { file?: string };
export type Interaction = z.infer<typeof interactionSchema>;
export type FixtureEvent = z.infer<typeof fixtureEvent>;

/** Reads every `*.json` fixture below `directory`, failing with the file name on a malformed one. */
export function loadFixtures(directory: string): Fixture[] {
  const files = readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .sort();
  return files.map((file) => {
    const path = join(directory, file);
    const parsed = fixtureSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) {
      throw new Error(
        `Invalid fixture ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    return { ...parsed.data, file: relative(process.cwd(), path) };
  });
}

/**
 * What a request is matched on. Matched: the operation, model id (or knowledge base id), system prompt, tool
 * names/descriptions/schemas, and every message block. Ignored: inferenceConfig, additionalModelRequestFields,
 * requestMetadata, headers and signatures, and the order of keys inside JSON objects.
 */
export interface NormalisedRequest {
  operation: Operation;
  target: string;
  system: string;
  tools: string;
  messages: string[];
}

export function normaliseRequest(
  operation: Operation,
  target: string,
  body: ConverseBody | RetrieveBody,
): NormalisedRequest {
  if (operation === 'Retrieve') {
    const retrieve = body as RetrieveBody;
    return {
      operation,
      target,
      system: '',
      tools: '',
      messages: [
        canonicalJson({
          query: retrieve.retrievalQuery?.text ?? '',
          numberOfResults:
            retrieve.retrievalConfiguration?.vectorSearchConfiguration?.numberOfResults ?? null,
        }),
      ],
    };
  }
  const converse = body as ConverseBody;
  return {
    operation,
    target,
    system: (converse.system ?? []).map((block) => block.text ?? '').join('\n'),
    tools: canonicalJson(converse.toolConfig?.tools ?? []),
    messages: (converse.messages ?? []).map((message) => canonicalJson(message)),
  };
}

export type MatchResult =
  | { matched: true; fixture: Fixture; interaction: Interaction; index: number }
  | { matched: false; explanation: string };

/** An index of every interaction in every fixture by its normalised request. */
export function createFixtureIndex(fixtures: Fixture[]) {
  const entries = fixtures.flatMap((fixture) =>
    fixture.interactions.map((interaction, index) => ({
      fixture,
      interaction,
      index,
      key: normaliseRequest(
        interaction.operation,
        (interaction.operation === 'Retrieve'
          ? interaction.request.knowledgeBaseId
          : interaction.request.modelId) ?? '',
        interaction.request.body as ConverseBody,
      ),
    })),
  );
  const byKey = new Map(entries.map((entry) => [canonicalJson(entry.key), entry]));

  return {
    size: entries.length,
    match(request: NormalisedRequest): MatchResult {
      const hit = byKey.get(canonicalJson(request));
      if (hit) return { matched: true, fixture: hit.fixture, interaction: hit.interaction, index: hit.index };
      return { matched: false, explanation: explainMismatch(request, entries) };
    },
  };
}

/** Names the closest recorded request and every way this one differs from it. */
function explainMismatch(
  request: NormalisedRequest,
  entries: Array<{ fixture: Fixture; index: number; key: NormalisedRequest }>,
): string {
  const head = `No fixture matches this ${request.operation} request (${request.target}, ${request.messages.length} messages).`;
  const ranked = entries
    .map((entry) => ({ entry, differences: differencesBetween(entry.key, request) }))
    .sort((a, b) => a.differences.score - b.differences.score);
  const nearest = ranked[0];
  if (!nearest) return `${head} There are no fixtures loaded.`;
  const where = `${nearest.entry.fixture.file ?? nearest.entry.fixture.name} (interaction ${nearest.entry.index + 1})`;
  return `${head} Closest: ${where}. Differences: ${nearest.differences.lines.join('; ')}.`;
}

function differencesBetween(expected: NormalisedRequest, actual: NormalisedRequest) {
  const lines: string[] = [];
  let score = 0;
  if (expected.operation !== actual.operation) {
    lines.push(`operation: fixture ${expected.operation}, request ${actual.operation}`);
    score += 1000;
  }
  if (expected.target !== actual.target) {
    lines.push(`model/knowledge base: fixture "${expected.target}", request "${actual.target}"`);
    score += 100;
  }
  if (expected.system !== actual.system) {
    lines.push(`system prompt: fixture ${quote(expected.system)}, request ${quote(actual.system)}`);
    score += 50;
  }
  if (expected.tools !== actual.tools) {
    lines.push('tool config (names, descriptions or input schemas) differs');
    score += 50;
  }
  const firstDiff = expected.messages.findIndex((message, i) => message !== actual.messages[i]);
  const diffAt =
    firstDiff === -1 && expected.messages.length !== actual.messages.length
      ? expected.messages.length
      : firstDiff;
  if (diffAt !== -1) {
    const detail =
      diffAt >= actual.messages.length || diffAt >= expected.messages.length
        ? `fixture has ${expected.messages.length} messages, request has ${actual.messages.length}`
        : `messages[${diffAt}]: fixture ${quote(expected.messages[diffAt] ?? '')}, request ${quote(actual.messages[diffAt] ?? '')}`;
    lines.push(detail);
    score += 10 + (Math.max(expected.messages.length, actual.messages.length) - diffAt);
  }
  return { lines: lines.length ? lines : ['none (duplicate key?)'], score };
}

/** Turns a recorded response back into a plan; event-stream frames re-encode byte for byte. */
export function planFromInteraction(interaction: Interaction): ResponsePlan {
  const { response } = interaction;
  if (response.events) {
    const frames: PlannedFrame[] = response.events.map((event) => ({
      delayMs: event.delayMs,
      frame: {
        headers:
          event.headers ??
          (event.exception ? exceptionHeaders(event.exception) : eventHeaders(event.event ?? '')),
        payload: event.payloadText ?? JSON.stringify(event.payload),
      },
    }));
    return { kind: 'stream', status: response.status, headers: response.headers, frames };
  }
  return {
    kind: 'json',
    status: response.status,
    headers: { 'content-type': 'application/json', ...response.headers },
    body: JSON.stringify(response.body ?? {}),
    delayMs: response.delayMs ?? 0,
  };
}

/** JSON with object keys sorted, so key order never decides a match. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

function quote(text: string): string {
  return JSON.stringify(text.length > 160 ? `${text.slice(0, 157)}...` : text);
}
