import type { ConverseBody, Operation, RetrieveBody } from './bedrock-types.ts';
import type { Fixture, Interaction } from './fixtures.ts';
import { canonicalJson, describeDifference, firstDifference } from './json-difference.ts';
import { redactJson, redactText } from './redaction.ts';

/**
 * What a request is matched on. Matched: the operation; for Converse and ConverseStream the model id, the
 * system prompt blocks, the whole tool config (names, descriptions, input schemas, toolChoice) and every
 * message; for Retrieve the query text and numberOfResults. Ignored: inferenceConfig (e.g. maxTokens) and any
 * other body field, the knowledge base id, headers and signatures, and the order of keys in JSON objects.
 * Account ids in ARNs are redacted first, as they are in fixture files.
 */
export interface NormalisedRequest {
  operation: Operation;
  modelId: string;
  system: unknown[];
  toolConfig: unknown;
  messages: unknown[];
  retrieval: unknown;
}

export function normaliseRequest(
  operation: Operation,
  target: string,
  body: ConverseBody | RetrieveBody,
): NormalisedRequest {
  if (operation === 'Retrieve') {
    const retrieve = body as RetrieveBody;
    return redactJson({
      operation,
      modelId: '',
      system: [],
      toolConfig: null,
      messages: [],
      retrieval: {
        text: retrieve.retrievalQuery?.text ?? '',
        numberOfResults: retrieve.retrievalConfiguration?.vectorSearchConfiguration?.numberOfResults ?? null,
      },
    });
  }
  const converse = body as ConverseBody;
  return redactJson({
    operation,
    modelId: redactText(target),
    system: converse.system ?? [],
    toolConfig: converse.toolConfig ?? null,
    messages: converse.messages ?? [],
    retrieval: null,
  });
}

export type MatchResult =
  | { matched: true; fixture: Fixture; interaction: Interaction; index: number }
  | { matched: false; explanation: string };

export interface FixtureIndex {
  readonly size: number;
  /** The interaction recorded for this request, or why none fits (naming the closest one). */
  match(request: NormalisedRequest): MatchResult;
}

interface Entry {
  fixture: Fixture;
  interaction: Interaction;
  index: number;
  request: NormalisedRequest;
}

/**
 * Every interaction of every fixture by its normalised request. A request recorded several times in one
 * fixture (the SDK retrying a throttled call) is answered by those interactions in recorded order, cycling, so
 * replay sees the same sequence each run. When two fixtures hold the same request, the first file (by name)
 * answers it.
 */
export function createFixtureIndex(fixtures: Fixture[]): FixtureIndex {
  const entries: Entry[] = fixtures.flatMap((fixture) =>
    fixture.interactions.map((interaction, index) => ({
      fixture,
      interaction,
      index,
      request: normaliseRequest(
        interaction.operation,
        (interaction.operation === 'Retrieve'
          ? interaction.request.knowledgeBaseId
          : interaction.request.modelId) ?? '',
        interaction.request.body,
      ),
    })),
  );
  const byKey = new Map<string, Entry[]>();
  for (const entry of entries) {
    const key = canonicalJson(entry.request);
    const same = byKey.get(key);
    if (!same) byKey.set(key, [entry]);
    else if (same[0]?.fixture === entry.fixture) same.push(entry);
  }
  const answered = new Map<string, number>();

  return {
    size: entries.length,
    match(request) {
      const key = canonicalJson(request);
      const candidates = byKey.get(key);
      if (!candidates) return { matched: false, explanation: explainMismatch(request, entries) };
      const turn = answered.get(key) ?? 0;
      answered.set(key, turn + 1);
      const { fixture, interaction, index } = candidates[turn % candidates.length] as Entry;
      return { matched: true, fixture, interaction, index };
    },
  };
}

/** Names the closest recorded request and how this one differs from it, part by part. */
function explainMismatch(request: NormalisedRequest, entries: Entry[]): string {
  const what =
    request.operation === 'Retrieve'
      ? `Retrieve request (query ${JSON.stringify((request.retrieval as { text: string }).text)})`
      : `${request.operation} request (${request.modelId}, ${request.messages.length} messages)`;
  const head = `No fixture matches this ${what}.`;
  const nearest = entries
    .map((entry) => ({ entry, ...differencesBetween(entry.request, request) }))
    .sort((a, b) => a.score - b.score)[0];
  if (!nearest) return `${head} No fixtures are loaded.`;
  const { fixture, index } = nearest.entry;
  return `${head} Closest: ${fixture.file ?? fixture.name} (interaction ${index + 1}). Differences: ${nearest.lines.join('; ')}.`;
}

function differencesBetween(expected: NormalisedRequest, actual: NormalisedRequest) {
  const lines: string[] = [];
  let score = 0;
  const compare = (label: string, field: keyof NormalisedRequest, weight: number) => {
    const difference = firstDifference(expected[field], actual[field], field);
    if (!difference) return;
    lines.push(`${label} differs, ${describeDifference(difference)}`);
    score += weight;
  };
  compare('operation', 'operation', 1000);
  compare('model', 'modelId', 100);
  compare('system prompt', 'system', 50);
  compare('tool config', 'toolConfig', 50);
  compare('retrieval query', 'retrieval', 10);
  const agreeing = leadingAgreement(expected.messages, actual.messages);
  const longest = Math.max(expected.messages.length, actual.messages.length);
  if (agreeing < longest) {
    compare(
      `messages (fixture has ${expected.messages.length}, request has ${actual.messages.length})`,
      'messages',
      10,
    );
    // The later the conversations part, the closer they are.
    score += longest - agreeing;
  }
  return { lines, score };
}

/** How many messages, from the first, two conversations share. */
function leadingAgreement(a: unknown[], b: unknown[]): number {
  let count = 0;
  while (count < Math.min(a.length, b.length) && firstDifference(a[count], b[count]) === undefined) count++;
  return count;
}
