import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES, readClientFrame } from '../../../src/protocol/client-frame.ts';
import { utf8Length } from '../../../src/protocol/utf8-length.ts';

const limits = { maxMessageBytes: 100 };
const sessionId = '3b241101-e2bb-4255-8caf-4136c566a962';
const read = (body: string | undefined, action?: 'sendMessage') => readClientFrame(body, action, limits);
const parse = (body: string | undefined, action?: 'sendMessage') => {
  const reading = read(body, action);
  if (!reading.ok) throw new Error(reading.problem.message);
  return reading.frame;
};
const codeOf = (body: string | undefined, action?: 'sendMessage') => {
  const reading = read(body, action);
  return reading.ok ? 'OK' : reading.problem.code;
};

describe('readClientFrame', () => {
  it('accepts a well-formed sendMessage, with or without a client turn id', () => {
    expect(parse(JSON.stringify({ action: 'sendMessage', sessionId, message: 'Hi' }), 'sendMessage')).toEqual(
      {
        action: 'sendMessage',
        sessionId,
        message: 'Hi',
      },
    );
    expect(
      parse(JSON.stringify({ action: 'sendMessage', sessionId, message: 'Hi', turnId: sessionId })),
    ).toMatchObject({ turnId: sessionId });
  });

  it('accepts a cancel with or without the last seq the client showed, which must be an integer from -1', () => {
    const cancel = { action: 'cancel', sessionId, turnId: sessionId };
    expect(parse(JSON.stringify(cancel))).toEqual(cancel);
    expect(parse(JSON.stringify({ ...cancel, seenSeq: -1 }))).toMatchObject({ seenSeq: -1 });
    expect(parse(JSON.stringify({ ...cancel, seenSeq: 12 }))).toMatchObject({ seenSeq: 12 });
    for (const seenSeq of [-2, 1.5, '3', null]) {
      expect(codeOf(JSON.stringify({ ...cancel, seenSeq })), String(seenSeq)).toBe('INVALID_FRAME');
    }
  });

  it.each([
    ['not JSON', '{"action":', 'INVALID_JSON'],
    ['no body', undefined, 'INVALID_JSON'],
    ['a JSON array', '[]', 'INVALID_FRAME'],
    ['a JSON string', '"sendMessage"', 'INVALID_FRAME'],
    ['no action', '{}', 'UNKNOWN_ACTION'],
    ['an unknown action', '{"action":"dance"}', 'UNKNOWN_ACTION'],
    ['an action that is not a string', '{"action":{"x":1}}', 'UNKNOWN_ACTION'],
    ['a missing message', JSON.stringify({ action: 'sendMessage', sessionId }), 'INVALID_FRAME'],
    [
      'a blank message',
      JSON.stringify({ action: 'sendMessage', sessionId, message: ' \n ' }),
      'INVALID_FRAME',
    ],
    ['a numeric message', JSON.stringify({ action: 'sendMessage', sessionId, message: 42 }), 'INVALID_FRAME'],
    [
      'a session id that is not a UUID',
      JSON.stringify({ action: 'sendMessage', sessionId: '../etc', message: 'x' }),
      'INVALID_FRAME',
    ],
    [
      'a guessable (time-based) session id',
      JSON.stringify({
        action: 'sendMessage',
        sessionId: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
        message: 'x',
      }),
      'INVALID_FRAME',
    ],
    [
      'the nil UUID as session id',
      JSON.stringify({
        action: 'sendMessage',
        sessionId: '00000000-0000-0000-0000-000000000000',
        message: 'x',
      }),
      'INVALID_FRAME',
    ],
    [
      'a message over the limit',
      JSON.stringify({ action: 'sendMessage', sessionId, message: 'é'.repeat(51) }),
      'MESSAGE_TOO_LARGE',
    ],
    [
      'a frame over 32 KB',
      JSON.stringify({ action: 'sendMessage', sessionId, message: 'x'.repeat(MAX_FRAME_BYTES) }),
      'MESSAGE_TOO_LARGE',
    ],
  ])('rejects %s with %s', (_name, body, code) => {
    expect(codeOf(body)).toBe(code);
  });

  it('counts the message limit in UTF-8 bytes, not characters', () => {
    expect(codeOf(JSON.stringify({ action: 'sendMessage', sessionId, message: 'é'.repeat(50) }))).toBe('OK');
  });

  it('names the offending field in the error message', () => {
    expect(() => parse(JSON.stringify({ action: 'sendMessage', sessionId }))).toThrow(/^message: /);
  });

  it('treats a known action sent to another route as unknown there', () => {
    expect(codeOf(JSON.stringify({ action: 'getHistory', sessionId }), 'sendMessage')).toBe('UNKNOWN_ACTION');
  });
});

describe('the address of a frame', () => {
  it('names a well-formed session and turn id even in an otherwise invalid frame', () => {
    expect(read(JSON.stringify({ action: 'nope', sessionId, turnId: sessionId })).address).toEqual({
      sessionId,
      turnId: sessionId,
    });
  });

  it('names the session and turn of a valid frame, for errors after it was read', () => {
    const frame = { action: 'sendMessage', sessionId, message: 'Hi', turnId: sessionId };
    expect(read(JSON.stringify(frame)).address).toEqual({ sessionId, turnId: sessionId });
  });

  it('leaves out what is missing or malformed', () => {
    expect(read('{').address).toEqual({ sessionId: null });
    expect(read(JSON.stringify({ sessionId: '<script>', turnId: 42 })).address).toEqual({ sessionId: null });
  });
});

describe('utf8Length', () => {
  it('counts UTF-8 bytes exactly as an encoder does, lone surrogates included', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        (text) => utf8Length(text) === Buffer.byteLength(text, 'utf8'),
      ),
      { numRuns: 500 },
    );
    expect(utf8Length('\ud800x')).toBe(Buffer.byteLength('\ud800x', 'utf8'));
  }, 30_000); // fast-check's binary strings take a while to generate on a busy machine.
});
