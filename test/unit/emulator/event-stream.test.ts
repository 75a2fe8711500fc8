import { describe, expect, it } from 'vitest';
import { MalformedEventStreamError } from '../../../emulator/errors.ts';
import {
  concatBytes,
  createFrameDecoder,
  decodeFrames,
  encodeFrame,
  eventHeaders,
  exceptionHeaders,
} from '../../../emulator/event-stream.ts';

const frames = [
  { headers: eventHeaders('messageStart'), payload: '{"role":"assistant"}' },
  {
    headers: eventHeaders('contentBlockDelta'),
    payload: '{"contentBlockIndex":0,"delta":{"text":"Grüße 👋"}}',
  },
  { headers: exceptionHeaders('throttlingException'), payload: '{"message":"slow down"}' },
];
const stream = concatBytes(frames.map(encodeFrame));

describe('encodeFrame and decodeFrames', () => {
  it('round-trip several frames in one body, headers in their order and UTF-8 payloads intact', () => {
    const decoded = decodeFrames(stream);

    expect(decoded.map(({ headers, payload }) => ({ headers, payload }))).toEqual(frames);
    expect(Object.keys(decoded[2]?.headers ?? {})).toEqual([
      ':exception-type',
      ':content-type',
      ':message-type',
    ]);
    expect(concatBytes(decoded.map((frame) => frame.bytes))).toEqual(stream);
  });

  it('encode headers in the order given, so a different order gives different bytes', () => {
    const reordered = {
      ':message-type': 'event',
      ':event-type': 'messageStart',
      ':content-type': 'application/json',
    };

    expect(encodeFrame({ headers: reordered, payload: '{}' })).not.toEqual(
      encodeFrame({ headers: eventHeaders('messageStart'), payload: '{}' }),
    );
  });
});

describe('createFrameDecoder', () => {
  it('yields each frame once its last byte arrives, however the network splits the stream', () => {
    const decoder = createFrameDecoder();
    const seen: string[] = [];
    for (const byte of stream) {
      for (const frame of decoder.push(Uint8Array.of(byte))) seen.push(frame.payload);
    }
    decoder.end();

    expect(seen).toEqual(frames.map((frame) => frame.payload));
  });

  it('complains when the stream ends inside a frame', () => {
    const decoder = createFrameDecoder();
    decoder.push(stream.slice(0, stream.byteLength - 3));

    expect(() => decoder.end()).toThrow(MalformedEventStreamError);
  });

  it('rejects a frame whose checksum does not match', () => {
    const corrupted = encodeFrame(frames[0] as (typeof frames)[0]);
    corrupted.set([(corrupted.at(-6) ?? 0) ^ 0xff], corrupted.byteLength - 6);

    expect(() => decodeFrames(corrupted)).toThrow(/Malformed event stream: .*checksum/);
  });
});
