import { describe, expect, it } from 'vitest';
import { historyFrame } from '../testing/fake-socket.ts';
import { parseIncomingFrame } from './incoming-frame.ts';

describe('parseIncomingFrame', () => {
  it('passes our frames on as they are', () => {
    const history = historyFrame('6f1c2a43-5a55-4a4e-9f43-5d1b1f0c7a10', []);

    expect(parseIncomingFrame(JSON.stringify(history))).toEqual({ kind: 'frame', frame: history });
  });

  it.each([
    // What a Lambda that throws (even at load) or times out gets the client, on AWS and offline.
    '{"message": "Internal server error", "connectionId":"VNRUSeldSwMCIRQ=", "requestId":"VNRXVFJOywMF3-Q="}',
    // The integration timed out (29 s).
    '{"message": "Endpoint request timed out", "connectionId":"yyyy=", "requestId":"xxxx="}',
  ])('recognises API Gateway failure frames: %s', (data) => {
    expect(parseIncomingFrame(data)).toEqual({ kind: 'gatewayError', message: JSON.parse(data).message });
  });

  it.each([
    ['malformed JSON', 'not json'],
    ['an unknown frame type', '{"type":"surprise","message":"x","requestId":"r"}'],
    ['a message without a request id', '{"message":"hello"}'],
    ['JSON that is not an object', '"Internal server error"'],
    ['null', 'null'],
    ['binary data', new ArrayBuffer(4)],
  ])('ignores %s', (_name, data) => {
    expect(parseIncomingFrame(data)).toBeUndefined();
  });
});
