import { describe, expect, it } from 'vitest';
import {
  encodeFrame,
  eventHeaders,
  exceptionHeaders,
  type StreamFrame,
} from '../../../emulator/event-stream.ts';
import { jsonOrText, toFixtureEvent, toStreamFrame } from '../../../emulator/fixture-events.ts';

const roundTrips = (frame: StreamFrame) => {
  const event = toFixtureEvent(frame, 7);
  return {
    event,
    sameBytes: Buffer.from(encodeFrame(toStreamFrame(event))).equals(Buffer.from(encodeFrame(frame))),
  };
};

describe('toFixtureEvent and toStreamFrame', () => {
  it('store a usual event as its name and JSON payload only', () => {
    const { event, sameBytes } = roundTrips({
      headers: eventHeaders('messageStop'),
      payload: '{"stopReason":"end_turn"}',
    });

    expect(event).toEqual({ delayMs: 7, event: 'messageStop', payload: { stopReason: 'end_turn' } });
    expect(sameBytes).toBe(true);
  });

  it('store an in-stream exception by its exception type', () => {
    const { event, sameBytes } = roundTrips({
      headers: exceptionHeaders('throttlingException'),
      payload: '{"message":"x"}',
    });

    expect(event).toEqual({ delayMs: 7, exception: 'throttlingException', payload: { message: 'x' } });
    expect(sameBytes).toBe(true);
  });

  it('keep headers that are not in the usual order, and payload text JSON.stringify would rewrite', () => {
    const frame = {
      headers: { ':content-type': 'application/json', ':event-type': 'metadata', ':message-type': 'event' },
      payload: '{ "metrics": {"latencyMs": 1.0} }',
    };

    const { event, sameBytes } = roundTrips(frame);

    expect(event).toEqual({
      delayMs: 7,
      event: 'metadata',
      headers: frame.headers,
      payloadText: frame.payload,
    });
    expect(sameBytes).toBe(true);
  });

  it('keep frames of other message types (such as error) with all their headers', () => {
    const frame = {
      headers: { ':message-type': 'error', ':error-code': 'InternalFailure' },
      payload: 'boom',
    };

    const { event, sameBytes } = roundTrips(frame);

    expect(event).toEqual({ delayMs: 7, headers: frame.headers, payloadText: 'boom' });
    expect(sameBytes).toBe(true);
  });
});

describe('jsonOrText', () => {
  it('gives parsed JSON under the first key when it re-serialises to the same text, else the text', () => {
    expect(jsonOrText('{"a":[1,2]}', 'body', 'bodyText')).toEqual({ body: { a: [1, 2] } });
    expect(jsonOrText('{"a": 1}', 'body', 'bodyText')).toEqual({ bodyText: '{"a": 1}' });
    expect(jsonOrText('<html>503</html>', 'body', 'bodyText')).toEqual({ bodyText: '<html>503</html>' });
  });
});
