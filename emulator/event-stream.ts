import { EventStreamCodec } from '@smithy/eventstream-codec';

/** One event-stream message with string headers (all Bedrock uses) and its payload as UTF-8 text. */
export interface StreamFrame {
  headers: Record<string, string>;
  payload: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes) => decoder.decode(bytes),
  (text) => encoder.encode(text),
);

/** Encodes a frame exactly as AWS does: prelude, headers in the given order, payload, CRCs. */
export function encodeFrame(frame: StreamFrame): Uint8Array {
  const headers = Object.fromEntries(
    Object.entries(frame.headers).map(([name, value]) => [name, { type: 'string' as const, value }]),
  );
  return codec.encode({ headers, body: encoder.encode(frame.payload) });
}

/** Splits a captured event-stream body back into frames (used by the recorder and tests). */
export function decodeFrames(bytes: Uint8Array): StreamFrame[] {
  const reader = new EventStreamCodec(
    (b) => decoder.decode(b),
    (t) => encoder.encode(t),
  );
  reader.feed(bytes);
  reader.endOfStream();
  return reader
    .getAvailableMessages()
    .getMessages()
    .map((message) => ({
      headers: Object.fromEntries(
        Object.entries(message.headers).map(([name, header]) => [name, String(header.value)]),
      ),
      payload: decoder.decode(message.body),
    }));
}

/** Headers of a normal event, in the order Bedrock sends them. */
export function eventHeaders(eventType: string): Record<string, string> {
  return { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' };
}

/** Headers of an in-stream exception such as `throttlingException`. */
export function exceptionHeaders(exceptionType: string): Record<string, string> {
  return {
    ':exception-type': exceptionType,
    ':content-type': 'application/json',
    ':message-type': 'exception',
  };
}

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';
