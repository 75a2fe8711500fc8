import { describe, expect, it } from 'vitest';
import { UnknownFaultError } from '../../../emulator/errors.ts';
import { applyFault, parseFault, selectFault } from '../../../emulator/faults.ts';
import { jsonPlan, type StreamPlan } from '../../../emulator/response-plan.ts';
import { toStreamPlan } from '../../../emulator/scripted-response.ts';
import { answerOf } from './support/fixture-builders.ts';

const streamPlan: StreamPlan = toStreamPlan(
  answerOf({ text: 'one two three four five six', toolUses: [], stopReason: 'end_turn' }),
  { firstTokenMs: 10, tokenMs: 5 },
);
const eventsOf = (plan: StreamPlan) =>
  plan.frames.map(({ frame }) => frame.headers[':event-type'] ?? `!${frame.headers[':exception-type']}`);

describe('parseFault', () => {
  it('reads a name and an optional whole-number value', () => {
    expect(parseFault('stall')).toEqual({ name: 'stall' });
    expect(parseFault(' slow-first-token=5000 ')).toEqual({ name: 'slow-first-token', value: 5000 });
  });

  it.each(['stal', 'throttle=x', 'stream-error=1=2', 'stream-error=-1', ''])(
    'refuses "%s" with the known faults',
    (spec) => {
      expect(() => parseFault(spec)).toThrow(UnknownFaultError);
    },
  );
});

describe('selectFault', () => {
  const serverDefault = parseFault('unavailable');

  it('prefers the header, then the directive in the question, then the server default', () => {
    expect(selectFault({ header: 'stall', directiveText: 'hi #fault:throttle', serverDefault })?.name).toBe(
      'stall',
    );
    expect(selectFault({ directiveText: 'hi #fault:stream-error=2', serverDefault })).toEqual({
      name: 'stream-error',
      value: 2,
    });
    expect(selectFault({ directiveText: 'hi', serverDefault })).toBe(serverDefault);
  });

  it('applies a replayed fixture’s own fault before the server default', () => {
    expect(selectFault({ fixtureFault: parseFault('throttle'), serverDefault })?.name).toBe('throttle');
  });

  it('selects nothing when no source names a fault', () => {
    expect(selectFault({ header: null, directiveText: 'What time is it?' })).toBeUndefined();
  });
});

describe('applyFault', () => {
  it.each([
    ['throttle', 429, 'ThrottlingException'],
    ['unavailable', 503, 'ServiceUnavailableException'],
    ['validation', 400, 'ValidationException'],
  ])('%s answers HTTP %i with %s, as Bedrock does (namespace suffix included)', (name, status, errorType) => {
    const plan = applyFault(streamPlan, parseFault(name), 'ConverseStream');

    expect(plan).toMatchObject({
      kind: 'json',
      status,
      headers: { 'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    });
  });

  it('stream-throttle keeps three deltas, then ends with a throttlingException event', () => {
    const plan = applyFault(streamPlan, parseFault('stream-throttle'), 'ConverseStream') as StreamPlan;

    expect(eventsOf(plan)).toEqual([
      'messageStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockDelta',
      '!throttlingException',
    ]);
    expect(plan.frames.at(-1)?.frame.headers[':message-type']).toBe('exception');
  });

  it('stream-error=1 keeps one delta before the modelStreamErrorException', () => {
    const plan = applyFault(streamPlan, parseFault('stream-error=1'), 'ConverseStream') as StreamPlan;

    expect(eventsOf(plan)).toEqual(['messageStart', 'contentBlockDelta', '!modelStreamErrorException']);
    expect(JSON.parse(plan.frames.at(-1)?.frame.payload ?? '')).toMatchObject({ originalStatusCode: 500 });
  });

  it('stall keeps three deltas and then holds the stream open', () => {
    const plan = applyFault(streamPlan, parseFault('stall'), 'ConverseStream') as StreamPlan;

    expect(plan.stall).toBe(true);
    expect(eventsOf(plan).filter((event) => event === 'contentBlockDelta')).toHaveLength(3);
    expect(eventsOf(plan)).not.toContain('messageStop');
  });

  it('slow-first-token adds its wait before the first frame only', () => {
    const plan = applyFault(streamPlan, parseFault('slow-first-token=500'), 'ConverseStream') as StreamPlan;

    expect(plan.frames.map((frame) => frame.delayMs)).toEqual([
      510,
      ...streamPlan.frames.slice(1).map((frame) => frame.delayMs),
    ]);
  });

  it('leaves knowledge-base lookups alone under stream faults, so a session-wide stream fault keeps tools working', () => {
    const retrieve = jsonPlan({ retrievalResults: [] });

    expect(applyFault(retrieve, parseFault('stream-error'), 'Retrieve')).toBe(retrieve);
  });
});
