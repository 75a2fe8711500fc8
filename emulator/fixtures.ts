import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseFault } from './faults.ts';
import { readJsonFile } from './json-file.ts';

/*
 * Fixture format v1 (documented in docs/emulator.md). One file holds the Bedrock requests of one scenario and
 * the responses they got, with the event stream decoded into readable events so a fixture reviews well in a
 * diff. Replay re-encodes the events into the exact bytes that were received.
 */

export const FIXTURE_FORMAT = 'bedrock-emulator-fixture';
export const FIXTURE_VERSION = 1;

const fixtureEventSchema = z
  .object({
    /** Milliseconds since the previous event (for the first: since the request). */
    delayMs: z.number().nonnegative(),
    /** A normal event (`messageStart`, `contentBlockDelta`, ...), or */
    event: z.string().optional(),
    /** an in-stream exception (`throttlingException`, ...). */
    exception: z.string().optional(),
    /** Only when the recorded headers differ from the usual ones (order included). */
    headers: z.record(z.string(), z.string()).optional(),
    /** The payload as JSON, or */
    payload: z.unknown().optional(),
    /** its exact text, when JSON.stringify would not give back the recorded bytes. */
    payloadText: z.string().optional(),
  })
  .strict()
  .refine((e) => e.event || e.exception || e.headers, 'an event needs "event", "exception" or "headers"')
  .refine(
    (e) => (e.payload === undefined) !== (e.payloadText === undefined),
    'an event needs exactly one of "payload" and "payloadText"',
  );

const responseSchema = z
  .object({
    status: z.number().int().min(100).max(599),
    /** Only the headers replay needs (content-type, x-amzn-errortype); never request headers. */
    headers: z.record(z.string(), z.string()).default({}),
    /** ConverseStream: the decoded event stream. */
    events: z.array(fixtureEventSchema).optional(),
    /** Hold the stream open, silent, after the last event (a stalled stream; written by hand, never recorded). */
    stall: z.boolean().optional(),
    /** Converse, Retrieve and errors: the JSON body, or */
    body: z.unknown().optional(),
    /** its exact text, when it is not JSON or JSON.stringify would not give it back byte for byte. */
    bodyText: z.string().optional(),
    /** Milliseconds before a JSON body was answered. */
    delayMs: z.number().nonnegative().optional(),
  })
  .strict()
  .refine(
    (r) => [r.events, r.body, r.bodyText].filter((part) => part !== undefined).length === 1,
    'a response needs exactly one of "events", "body" and "bodyText"',
  );

const interactionSchema = z
  .object({
    operation: z.enum(['Converse', 'ConverseStream', 'Retrieve']),
    request: z
      .object({
        modelId: z.string().optional(),
        knowledgeBaseId: z.string().optional(),
        body: z.record(z.string(), z.unknown()),
      })
      .strict(),
    response: responseSchema,
  })
  .strict()
  .refine(
    (i) => (i.operation === 'Retrieve' ? i.request.knowledgeBaseId : i.request.modelId) !== undefined,
    'a Retrieve request needs "knowledgeBaseId", a Converse request "modelId"',
  );

export const fixtureSchema = z
  .object({
    format: z.literal(FIXTURE_FORMAT),
    version: z.literal(FIXTURE_VERSION),
    /** Unique; the file is `<name>.json`. */
    name: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use kebab-case'),
    description: z.string().default(''),
    /** "recorded" against AWS, or "synthetic" (recorded from the scripted model or written by hand). */
    source: z.enum(['recorded', 'synthetic']),
    recordedAt: z.string().optional(),
    /** The scenario file it was recorded from, relative to the repository root. */
    scenario: z.string().optional(),
    /** A fault applied whenever this fixture answers, e.g. "stream-error=2" (see faults). */
    fault: z
      .string()
      .refine((spec) => isFaultSpec(spec), 'not a known fault (see docs/emulator.md)')
      .optional(),
    interactions: z.array(interactionSchema).min(1),
  })
  .strict();

export type Fixture = z.infer<typeof fixtureSchema> & { file?: string };
export type Interaction = z.infer<typeof interactionSchema>;
export type FixtureEvent = z.infer<typeof fixtureEventSchema>;
export type RecordedResponse = z.infer<typeof responseSchema>;

/** Reads every `*.json` fixture below `directory`, failing with the file name on a malformed one. */
export function loadFixtures(directory: string): Fixture[] {
  const files = readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .sort();
  return files.map((file) => readFixture(join(directory, file)));
}

export function readFixture(path: string): Fixture {
  return readJsonFile(path, fixtureSchema);
}

/**
 * A fixture as committed: two-space JSON, except that each stream event sits on one line, so a diff of a
 * re-recorded fixture reads event by event.
 */
export function serializeFixture(fixture: Fixture): string {
  const { file: _notStored, ...stored } = fixture;
  const events: string[] = [];
  // A per-call nonce: no recorded string can equal a placeholder by accident.
  const nonce = crypto.randomUUID();
  const placeholder = (index: number) => `${nonce}:${index}`;
  const json = JSON.stringify(
    fixtureSchema.parse(stored),
    (key, value: unknown) =>
      key === 'events' && Array.isArray(value)
        ? value.map((event) => placeholder(events.push(JSON.stringify(event)) - 1))
        : value,
    2,
  );
  const withEvents = json.replace(
    new RegExp(`"${nonce}:(\\d+)"`, 'g'),
    (_match, index: string) => events[Number(index)] ?? '',
  );
  return `${withEvents}\n`;
}

function isFaultSpec(spec: string): boolean {
  try {
    parseFault(spec);
    return true;
  } catch {
    return false;
  }
}
