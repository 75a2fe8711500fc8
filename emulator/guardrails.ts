import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from './json-file.ts';

/**
 * A local stand-in for a Bedrock guardrail (fixtures/guardrails/<name>.json): denied topics and blocked words,
 * with the messages the guardrail answers in their place. On AWS a classifier decides whether text is about a
 * denied topic; offline a topic matches when one of its `match` phrases appears in the text (whole words, any
 * case), which is enough to test that a client handles `guardrail_intervened` and the trace.
 */
export const guardrailSchema = z.strictObject({
  guardrailId: z.string().regex(/^[a-z0-9]+$/),
  version: z.string().regex(/^([1-9][0-9]{0,7}|DRAFT)$/),
  name: z.string(),
  blockedInputMessaging: z.string().min(1),
  blockedOutputsMessaging: z.string().min(1),
  topicPolicy: z
    .strictObject({
      topics: z.array(
        z.strictObject({
          name: z.string().min(1),
          definition: z.string(),
          examples: z.array(z.string()).default([]),
          type: z.literal('DENY'),
          match: z.array(z.string().min(1)).min(1),
        }),
      ),
    })
    .optional(),
  wordPolicy: z.strictObject({ words: z.array(z.strictObject({ text: z.string().min(1) })) }).optional(),
});

export type Guardrail = z.infer<typeof guardrailSchema>;

/** What a guardrail found in one text, in the shape of Bedrock's GuardrailAssessment. */
export interface GuardrailAssessment {
  topicPolicy?: { topics: Array<{ action: 'BLOCKED'; detected: true; name: string; type: 'DENY' }> };
  wordPolicy?: {
    customWords: Array<{ action: 'BLOCKED'; detected: true; match: string }>;
    managedWordLists: never[];
  };
}

export interface GuardrailSet {
  /** The guardrail a request names (id or ARN, and version), or undefined when there is none such. */
  find(identifier: string, version: string): Guardrail | undefined;
}

export function loadGuardrails(directory: string): GuardrailSet {
  const guardrails = existsSync(directory)
    ? readdirSync(directory)
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file) => readJsonFile(join(directory, file), guardrailSchema))
    : [];
  return createGuardrailSet(guardrails);
}

export function createGuardrailSet(guardrails: Guardrail[]): GuardrailSet {
  return {
    find(identifier, version) {
      const id = identifier.replace(/^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]+:\d{12}:guardrail\//, '');
      return guardrails.find(
        (guardrail) => guardrail.guardrailId === id && (guardrail.version === version || version === ''),
      );
    },
  };
}

/** The guardrail's verdict on a text: an assessment when it blocks, undefined when the text may pass. */
export function assessText(guardrail: Guardrail, text: string): GuardrailAssessment | undefined {
  const lower = text.toLowerCase();
  const topics = (guardrail.topicPolicy?.topics ?? [])
    .filter((topic) => topic.match.some((phrase) => containsPhrase(lower, phrase.toLowerCase())))
    .map((topic) => ({
      action: 'BLOCKED' as const,
      detected: true as const,
      name: topic.name,
      type: 'DENY' as const,
    }));
  const words = (guardrail.wordPolicy?.words ?? [])
    .filter((word) => containsPhrase(lower, word.text.toLowerCase()))
    .map((word) => ({ action: 'BLOCKED' as const, detected: true as const, match: word.text }));
  if (topics.length === 0 && words.length === 0) return undefined;
  return {
    ...(topics.length > 0 ? { topicPolicy: { topics } } : {}),
    ...(words.length > 0 ? { wordPolicy: { customWords: words, managedWordLists: [] } } : {}),
  };
}

function containsPhrase(text: string, phrase: string): boolean {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'u').test(text);
}
