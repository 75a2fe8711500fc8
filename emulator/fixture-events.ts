import { eventHeaders, exceptionHeaders, type StreamFrame } from './event-stream.ts';
import type { FixtureEvent } from './fixtures.ts';

/**
 * A received frame as a readable fixture event: the event (or exception) name and the payload as JSON. Headers
 * are kept only when they are not Bedrock's usual ones in the usual order, and the payload's exact text only
 * when JSON.stringify would not reproduce it, so `toStreamFrame` always gives back the same bytes.
 */
export function toFixtureEvent(frame: StreamFrame, delayMs: number): FixtureEvent {
  const messageType = frame.headers[':message-type'];
  const event = messageType === 'event' ? frame.headers[':event-type'] : undefined;
  const exception = messageType === 'exception' ? frame.headers[':exception-type'] : undefined;
  const usualHeaders =
    event !== undefined ? eventHeaders(event) : exception !== undefined ? exceptionHeaders(exception) : {};
  return {
    delayMs,
    ...(event === undefined ? {} : { event }),
    ...(exception === undefined ? {} : { exception }),
    ...(sameEntries(usualHeaders, frame.headers) ? {} : { headers: frame.headers }),
    ...jsonOrText(frame.payload, 'payload', 'payloadText'),
  };
}

/** The frame a fixture event stands for. */
export function toStreamFrame(event: FixtureEvent): StreamFrame {
  return {
    headers:
      event.headers ??
      (event.exception === undefined ? eventHeaders(event.event ?? '') : exceptionHeaders(event.exception)),
    payload: event.payloadText ?? JSON.stringify(event.payload),
  };
}

/** `{ [jsonKey]: parsed }` when the text is JSON that re-serialises to itself, else `{ [textKey]: text }`. */
export function jsonOrText<J extends string, T extends string>(
  text: string,
  jsonKey: J,
  textKey: T,
): { [key in J]: unknown } | { [key in T]: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (JSON.stringify(parsed) === text) return { [jsonKey]: parsed } as { [key in J]: unknown };
  } catch {
    // not JSON: kept as text
  }
  return { [textKey]: text } as { [key in T]: string };
}

function sameEntries(a: Record<string, string>, b: Record<string, string>): boolean {
  return JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));
}
