import type { HistoryEntry, HistoryFrame } from './server-frame.ts';
import { utf8Length } from './utf8-length.ts';

/** Said instead of the end of a single history entry too large for a message of its own (older sessions). */
export const SHORTENED_ENTRY_NOTE = '\n\n… (too long to show here)';

/**
 * Splits a history into frames of at most `maxBytes` of JSON each, oldest messages first, every part
 * carrying the history's other fields and `part`/`parts`. One frame when it fits. A client that reads each
 * frame as the whole history (older clients) ends with the last part: the newest messages.
 */
export function splitHistory(frame: HistoryFrame, maxBytes: number): HistoryFrame[] {
  if (jsonBytes(frame) <= maxBytes) return [frame];
  // What a part costs besides its messages, with room for the largest `part`/`parts` numbers.
  const envelope = jsonBytes({ ...frame, messages: [], part: 99_999, parts: 99_999 });
  const room = maxBytes - envelope;
  const pages: HistoryEntry[][] = [[]];
  let used = 0;
  for (const original of frame.messages) {
    const entry = fitEntry(original, room);
    const size = jsonBytes(entry) + 1;
    const page = pages.at(-1) as HistoryEntry[];
    if (used + size > room && page.length > 0) {
      pages.push([entry]);
      used = size;
    } else {
      page.push(entry);
      used += size;
    }
  }
  return pages.map((messages, part) => ({ ...frame, messages, part, parts: pages.length }));
}

/**
 * The whole history once every part of it has arrived (parts may come in any order), else undefined. A frame
 * without parts is whole on its own.
 */
export function joinHistoryParts(received: readonly HistoryFrame[]): HistoryFrame | undefined {
  const last = received.at(-1);
  if (!last) return undefined;
  if (last.parts === undefined) return last;
  const parts = received.filter((frame) => frame.parts === last.parts && frame.sessionId === last.sessionId);
  const byIndex = new Map(parts.map((frame) => [frame.part ?? 0, frame]));
  if (byIndex.size < last.parts) return undefined;
  const ordered = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, frame]) => frame);
  const { part: _part, parts: _parts, ...whole } = ordered.at(-1) as HistoryFrame;
  return { ...whole, messages: ordered.flatMap((frame) => frame.messages) };
}

/** An entry whose JSON fits in `maxBytes`, its text shortened (with a note) if it alone would not. */
function fitEntry(entry: HistoryEntry, maxBytes: number): HistoryEntry {
  if (jsonBytes(entry) <= maxBytes) return entry;
  let text = entry.text;
  while (text.length > 0 && jsonBytes({ ...entry, text: text + SHORTENED_ENTRY_NOTE }) > maxBytes) {
    text = text.slice(0, Math.floor(text.length * 0.9));
    // Never end on half a surrogate pair.
    if (/[\ud800-\udbff]$/.test(text)) text = text.slice(0, -1);
  }
  return { ...entry, text: text + SHORTENED_ENTRY_NOTE };
}

function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value));
}
