import { describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES, parseClientFrame, peekAddress } from '../../../src/protocol/client-frame.ts';

const limits = { maxMessageBytes: 100 };
const sessionId = '3b241101-e2bb-4255-8caf-4136c566a962';
const parse = (body: string | undefined, action?: 'sendMessage') =>
  action ? parseClientFrame(body, action, limits) : parseClientFrame(body, undefined, limits);
const codeOf = (body: string | undefined, action?: 'sendMessage') => {
  try {
    parse(body, action);
    return 'OK';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('parseClientFrame', () => {
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

describe('peekAddress', () => {
  it('finds a well-formed session and turn id even in an otherwise invalid frame', () => {
    expect(peekAddress(JSON.stringify({ action: 'nope', sessionId, turnId: sessionId }))).toEqual({
      sessionId,
      turnId: sessionId,
    });
  });

  it('leaves out what is missing or malformed', () => {
    expect(peekAddress('{')).toEqual({ sessionId: null });
    expect(peekAddress(JSON.stringify({ sessionId: '<script>', turnId: 42 }))).toEqual({ sessionId: null });
  });
});
