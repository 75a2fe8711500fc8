import { EventStreamCodec } from '@smithy/eventstream-codec';
import { MalformedEventStreamError } from './errors.ts';

/** One event-stream message with string headers (all Bedrock uses) and its payload as UTF-8 text. */
export interface StreamFrame {
  headers: Record<string, string>;
  payload: string;
}

/** A frame as it arrived, with the exact bytes it was sent as. */
export interface ReceivedFrame extends StreamFrame {
  bytes: Uint8Array;
}

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

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

/**
 * Splits an event stream into frames as its bytes arrive. Network chunks do not respect frame boundaries,
 * and the codec decodes exactly one whole message at a time, so bytes are buffered until a frame's length
 * (the first four bytes of its prelude) has arrived.
 */
export function createFrameDecoder() {
  let buffered: Uint8Array = new Uint8Array(0);
  return {
    /** The frames completed by this chunk, in order. */
    push(chunk: Uint8Array): ReceivedFrame[] {
      buffered = concatBytes([buffered, chunk]);
      const frames: ReceivedFrame[] = [];
      while (buffered.byteLength >= 4) {
        const length = new DataView(buffered.buffer, buffered.byteOffset, 4).getUint32(0, false);
        if (buffered.byteLength < length) break;
        const bytes = buffered.slice(0, length);
        buffered = buffered.slice(length);
        frames.push({ ...decodeOne(bytes), bytes });
      }
      return frames;
    },
    /** Throws if the stream ended in the middle of a frame. */
    end(): void {
      if (buffered.byteLength > 0) {
        throw new MalformedEventStreamError(
          `the stream ended inside a frame (${buffered.byteLength} bytes left)`,
        );
      }
    },
  };
}

/** Splits a whole captured event-stream body into frames. */
export function decodeFrames(bytes: Uint8Array): ReceivedFrame[] {
  const frameDecoder = createFrameDecoder();
  const frames = frameDecoder.push(bytes);
  frameDecoder.end();
  return frames;
}

function decodeOne(bytes: Uint8Array): StreamFrame {
  try {
    const message = codec.decode(bytes);
    return {
      headers: Object.fromEntries(
        Object.entries(message.headers).map(([name, header]) => [name, String(header.value)]),
      ),
      payload: decoder.decode(message.body),
    };
  } catch (error) {
    throw new MalformedEventStreamError((error as Error).message, error);
  }
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
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
