import { createHash } from 'node:crypto';

/**
 * Bedrock's JSON as it goes on the wire: object keys in alphabetical order at every level (real Converse bodies
 * and event payloads are sorted), except inside documents, whose keys stay as the model wrote them (tool input,
 * additionalModelResponseFields). Members named in `documents` are written as they are.
 */
export function wireJson(value: unknown, documents: ReadonlySet<string> = DOCUMENT_MEMBERS): string {
  return JSON.stringify(sortKeys(value, documents));
}

const DOCUMENT_MEMBERS: ReadonlySet<string> = new Set(['input', 'additionalModelResponseFields', 'json']);

function sortKeys(value: unknown, documents: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item, documents));
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    sorted[key] = documents.has(key) ? member : sortKeys(member, documents);
  }
  return sorted;
}

const PADDING_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * The `"p"` field every real ConverseStream event carries: a prefix of this alphabet whose length varies from
 * event to event (2 to 61 characters in the recordings), so that an event's size does not give its content
 * away. Here the length comes from a hash of the event, so the same answer is always the same bytes.
 */
export function padding(seed: string): string {
  const length = 2 + (createHash('sha1').update(seed).digest().readUInt16BE(0) % 60);
  return PADDING_ALPHABET.slice(0, length);
}

/** An event payload as Bedrock sends it: the event's members plus `p`, keys sorted. */
export function eventPayload(event: Record<string, unknown>, seed: string): string {
  return wireJson({ ...event, p: padding(seed) });
}
