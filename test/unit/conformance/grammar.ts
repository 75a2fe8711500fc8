import { decodeFrames } from '../../../emulator/event-stream.ts';
import { serviceShapes } from '../../../emulator/service-model/service-shapes.ts';

/**
 * The grammar of Bedrock's answers, read from real recordings and the service model, so the conformance suite
 * can hold the emulator to it: event order, frame headers, which keys each event carries (with their JSON
 * types), key order, and the `p` padding.
 */

/** Members whose values are documents: written as the model produced them, so neither walked nor sorted. */
const DOCUMENTS = new Set(['input', 'additionalModelResponseFields', 'json']);

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array' | 'document';

export interface DecodedEvent {
  event: string;
  headerNames: string[];
  headers: Record<string, string>;
  payload: Record<string, unknown>;
}

export function decodeEvents(stream: Uint8Array): DecodedEvent[] {
  return decodeFrames(stream).map(({ headers, payload }) => ({
    event: headers[':event-type'] ?? headers[':exception-type'] ?? '?',
    headerNames: Object.keys(headers),
    headers,
    payload: JSON.parse(payload) as Record<string, unknown>,
  }));
}

/** Every key path of a JSON value with the type found there: `delta.toolUse.input` → string. */
export function keyPaths(value: unknown, prefix = ''): Map<string, JsonType> {
  const paths = new Map<string, JsonType>();
  const walk = (node: unknown, path: string, key: string) => {
    if (path !== '' && DOCUMENTS.has(key) && typeof node === 'object' && node !== null) {
      paths.set(path, 'document');
      return;
    }
    if (Array.isArray(node)) {
      if (path !== '') paths.set(path, 'array');
      for (const item of node) walk(item, `${path}[]`, key);
      return;
    }
    if (typeof node === 'object' && node !== null) {
      if (path !== '') paths.set(path, 'object');
      for (const [child, value] of Object.entries(node))
        walk(value, path === '' ? child : `${path}.${child}`, child);
      return;
    }
    if (path !== '') paths.set(path, node === null ? 'null' : (typeof node as JsonType));
  };
  walk(value, prefix, '');
  return paths;
}

/** Paths whose object keys are not in alphabetical order (documents excepted). */
export function unsortedKeys(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => unsortedKeys(item, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  const keys = Object.keys(value);
  const here = keys.join(',') === [...keys].sort().join(',') ? [] : [path];
  return [
    ...here,
    ...keys.flatMap((key) =>
      DOCUMENTS.has(key) ? [] : unsortedKeys((value as Record<string, unknown>)[key], `${path}.${key}`),
    ),
  ];
}

/**
 * Bedrock's event order: `messageStart`, then content blocks by increasing index (each an optional
 * `contentBlockStart`, deltas, `contentBlockStop`), then `messageStop` and `metadata`. Returns what is wrong.
 */
export function eventOrderProblems(events: DecodedEvent[]): string[] {
  const names = events.map(({ event }) => event);
  const problems: string[] = [];
  if (names[0] !== 'messageStart') problems.push(`starts with ${names[0]}`);
  if (names.at(-2) !== 'messageStop' || names.at(-1) !== 'metadata')
    problems.push(`ends with ${names.slice(-2)}`);
  let open: number | undefined;
  let last = -1;
  for (const { event, payload } of events.slice(1, -2)) {
    const index = payload.contentBlockIndex as number;
    if (event === 'contentBlockStart' || (event === 'contentBlockDelta' && open === undefined)) {
      if (open !== undefined) problems.push(`block ${index} starts inside block ${open}`);
      if (index !== last + 1) problems.push(`block ${index} follows block ${last}`);
      open = index;
      last = index;
    } else if (event === 'contentBlockDelta' && index !== open) {
      problems.push(`a delta for block ${index} inside block ${open}`);
    } else if (event === 'contentBlockStop') {
      // A block may close without any delta (an empty answer): then it opens and closes here.
      if (open === undefined && index === last + 1) last = index;
      else if (index !== open) problems.push(`stop for block ${index} inside block ${open}`);
      open = undefined;
    } else if (event !== 'contentBlockDelta') {
      problems.push(`unexpected ${event} in the middle`);
    }
  }
  return problems;
}

/** The key paths the service model allows under a shape (unions, lists and documents included). */
export function modelPaths(shapeName: string): Set<string> {
  const { shapes } = serviceShapes('bedrock-runtime');
  const paths = new Set<string>();
  const walk = (name: string, path: string, depth: number) => {
    const shape = shapes[name];
    if (!shape || depth > 12) return;
    if (shape.type === 'structure' && !shape.document) {
      for (const [member, { shape: child }] of Object.entries(shape.members ?? {})) {
        const childPath = path === '' ? member : `${path}.${member}`;
        paths.add(childPath);
        walk(child, childPath, depth + 1);
      }
    } else if (shape.type === 'list') {
      walk(shape.member ?? '', `${path}[]`, depth + 1);
    } else if (shape.type === 'map') {
      paths.add(`${path}.*`);
    }
  };
  walk(shapeName, '', 0);
  return paths;
}

/** A path is allowed when the model names it (a map's keys match `*`). */
export function allowedByModel(path: string, allowed: Set<string>): boolean {
  if (allowed.has(path)) return true;
  const segments = path.split('.');
  for (let i = 1; i < segments.length; i++) {
    const candidate = [...segments.slice(0, i), '*'].join('.');
    if (allowed.has(candidate)) return true;
  }
  return false;
}

const PADDING_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function isPadding(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && PADDING_ALPHABET.startsWith(value);
}
