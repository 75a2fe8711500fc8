import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFrameStream, splitByJsonBytes } from '../../../src/chat/frame-stream.ts';
import { createRecordingReply, streamedText } from '../../support/fakes.ts';

const policy = { minDelayMs: 50, maxDelayMs: 400, maxFrameBytes: 1024 };
const ids = { sessionId: 's1', turnId: 't1' };
/** What `done` carries does not matter to the frame stream; these tests care about when frames go out. */
const END_OF_ANSWER = {
  stopReason: 'end_turn',
  usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
  modelCalls: 1,
  toolCalls: 0,
} as const;

describe('createFrameStream', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pushes the first token at once, without waiting for the timer', async () => {
    const reply = createRecordingReply();
    const frames = createFrameStream({ ...ids, reply, policy });

    frames.text('Hello');
    await vi.advanceTimersByTimeAsync(0);

    expect(reply.frames).toEqual([{ type: 'token', sessionId: 's1', turnId: 't1', seq: 0, value: 'Hello' }]);
  });

  it('reports the first text as it arrives and the first token once it is delivered, each once', async () => {
    const reply = createRecordingReply();
    const events: string[] = [];
    const frames = createFrameStream({
      ...ids,
      reply,
      policy,
      onFirstText: () => events.push(`text, ${reply.frames.length} pushed`),
      onFirstToken: () => events.push(`token, ${reply.frames.length} pushed`),
    });

    frames.text('');
    frames.text('Hello');
    frames.text(' there');
    await frames.done(END_OF_ANSWER);

    expect(events).toEqual(['text, 0 pushed', 'token, 1 pushed']);
  });

  it('lets the caller wait for the first token to be delivered, and only the first', async () => {
    const reply = createRecordingReply({ delayMs: 10 });
    const frames = createFrameStream({ ...ids, reply, policy });
    const settled: string[] = [];

    void frames.text('Hello').then(() => settled.push(`first, ${reply.frames.length} delivered`));
    void frames.text(' there').then(() => settled.push(`second, ${reply.frames.length} delivered`));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toEqual(['second, 0 delivered']);
    await vi.advanceTimersByTimeAsync(10);

    expect(settled).toEqual(['second, 0 delivered', 'first, 1 delivered']);
  });

  it('coalesces later tokens into one frame per timer tick', async () => {
    const reply = createRecordingReply();
    const frames = createFrameStream({ ...ids, reply, policy });

    frames.text('a');
    for (const token of [' b', ' c', ' d']) frames.text(token);
    await vi.advanceTimersByTimeAsync(49);
    expect(reply.frames).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);

    expect(reply.frames.map((f) => (f.type === 'token' ? f.value : ''))).toEqual(['a', ' b c d']);
  });

  it('doubles the wait between frames up to the maximum, so long answers cost few pushes', async () => {
    const reply = createRecordingReply();
    const frames = createFrameStream({ ...ids, reply, policy });
    const sentAt: number[] = [];
    const original = reply.send.bind(reply);
    reply.send = async (frame) => {
      sentAt.push(Date.now());
      await original(frame);
    };
    const start = Date.now();

    // One token every 10 ms for 3 s.
    for (let i = 0; i < 300; i++) {
      frames.text(` w${i}`);
      await vi.advanceTimersByTimeAsync(10);
    }
    await frames.done(END_OF_ANSWER);

    const gaps = sentAt.slice(1, -1).map((t, i) => t - (sentAt[i] as number));
    // The first wait starts with the second token (10 ms in); then each wait doubles.
    expect(gaps.slice(0, 4)).toEqual([60, 100, 200, 400]);
    expect(Math.max(...gaps)).toBe(400);
    expect(reply.frames.length).toBeLessThan(15);
    expect(streamedText(reply.frames)).toBe(Array.from({ length: 300 }, (_, i) => ` w${i}`).join(''));
    expect(sentAt[0]).toBe(start);
  });

  it('cuts a frame early once it reaches the size bound', async () => {
    const reply = createRecordingReply();
    const frames = createFrameStream({ ...ids, reply, policy });

    frames.text('first');
    frames.text('x'.repeat(2000));
    await vi.advanceTimersByTimeAsync(0);

    const values = reply.frames.map((f) => (f.type === 'token' ? f.value : ''));
    expect(values[0]).toBe('first');
    expect(values.slice(1).join('')).toBe('x'.repeat(2000));
    expect(values.slice(1).every((v) => v.length <= 1024)).toBe(true);
  });

  it('numbers frames 0, 1, 2… across tokens, status and done, in push order', async () => {
    const reply = createRecordingReply({ delayMs: 5 });
    const frames = createFrameStream({ ...ids, reply, policy, firstSeq: 7 });

    frames.text('a');
    frames.status('kb_lookup', 'Searching knowledge base…');
    frames.text('b');
    const done = frames.done(END_OF_ANSWER);
    await vi.advanceTimersByTimeAsync(100);
    await done;

    expect(reply.frames.map((f) => [f.type, 'seq' in f ? f.seq : undefined])).toEqual([
      ['token', 7],
      ['status', 8],
      ['token', 9],
      ['done', 10],
    ]);
    expect(frames.lastSeq).toBe(10);
  });

  it('stops pushing and reports once when the client is gone (410), which is no failed push', async () => {
    const reply = createRecordingReply({ goneAfter: 1 });
    const onGone = vi.fn();
    const onPushFailed = vi.fn();
    const frames = createFrameStream({ ...ids, reply, policy, onGone, onPushFailed });

    frames.text('a');
    frames.text('b');
    await vi.advanceTimersByTimeAsync(60);
    frames.text('c');
    await vi.advanceTimersByTimeAsync(500);
    await frames.done(END_OF_ANSWER);

    expect(onGone).toHaveBeenCalledTimes(1);
    expect(onPushFailed).not.toHaveBeenCalled();
    expect(frames.gone).toBe(true);
    expect(reply.attempts).toBe(2);
    expect(reply.frames).toHaveLength(1);
  });

  it('treats any other push failure like a gone client, and reports it rather than losing frames silently', async () => {
    const onGone = vi.fn();
    const onPushFailed = vi.fn();
    const throttled = new Error('LimitExceededException');
    const frames = createFrameStream({
      ...ids,
      policy,
      onGone,
      onPushFailed,
      reply: { send: async () => Promise.reject(throttled) },
    });

    frames.text('a');
    frames.text(' b');
    await frames.settled();

    expect(onGone).toHaveBeenCalledTimes(1);
    expect(onPushFailed).toHaveBeenCalledExactlyOnceWith(throttled);
    expect(frames.gone).toBe(true);
  });
});

describe('createFrameStream: an answer frozen on Stop', () => {
  it('pushes no more text and counts the characters of the token frames up to the seq the client showed', async () => {
    const reply = createRecordingReply();
    const frames = createFrameStream({
      reply,
      sessionId: 's',
      turnId: 't',
      policy: { minDelayMs: 5, maxDelayMs: 5, maxFrameBytes: 10_000 },
    });
    await frames.text('Hello');
    await frames.text(' there');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await frames.text(' and more');

    expect(frames.freeze(0)).toBe('Hello'.length);
    await frames.text(' never sent');
    await frames.done({
      stopReason: 'cancelled',
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      modelCalls: 1,
      toolCalls: 0,
    });

    expect(streamedText(reply.frames)).toBe('Hello there');
    expect(frames.freeze(1)).toBe('Hello there'.length);
    expect(frames.freeze(-1)).toBe(0);
  });
});

describe('splitByJsonBytes', () => {
  const jsonBytes = (text: string) => Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;

  it('cuts any text into pieces that rejoin exactly and each fit the byte budget once JSON-escaped', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.integer({ min: 6, max: 64 }),
        (text, maxBytes) => {
          const pieces = splitByJsonBytes(text, maxBytes);
          expect(pieces.join('')).toBe(text);
          for (const piece of pieces) expect(jsonBytes(piece)).toBeLessThanOrEqual(maxBytes);
        },
      ),
      { numRuns: 2000 },
    );
  }, 30_000); // 2,000 cases take 3 s alone and over 6 s on a busy machine: more than the default 5 s.

  it('never cuts inside a surrogate pair', () => {
    const pieces = splitByJsonBytes('😀😀😀', 5);
    expect(pieces).toEqual(['😀', '😀', '😀']);
  });
});
