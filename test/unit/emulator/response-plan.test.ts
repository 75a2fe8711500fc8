import { describe, expect, it } from 'vitest';
import { decodeFrames, eventHeaders } from '../../../emulator/event-stream.ts';
import {
  errorPlan,
  jsonPlan,
  type ResponseOutcome,
  type StreamPlan,
  toResponse,
} from '../../../emulator/response-plan.ts';

const plan = (delays: number[], extra: Partial<StreamPlan> = {}): StreamPlan => ({
  kind: 'stream',
  status: 200,
  headers: {},
  frames: delays.map((delayMs, index) => ({
    delayMs,
    frame: { headers: eventHeaders('contentBlockDelta'), payload: `{"i":${index}}` },
  })),
  ...extra,
});

describe('toResponse', () => {
  it('sends stream frames as event-stream bytes with Bedrock’s content type and a request id', async () => {
    const response = toResponse(plan([0, 0]), { pacing: 1 });

    expect(response.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeFrames(new Uint8Array(await response.arrayBuffer())).map((f) => f.payload)).toEqual([
      '{"i":0}',
      '{"i":1}',
    ]);
  });

  it('waits delay × pacing before each frame', async () => {
    const started = performance.now();
    await toResponse(plan([100, 100]), { pacing: 1 }).arrayBuffer();
    const paced = performance.now() - started;

    const quick = performance.now();
    await toResponse(plan([100, 100]), { pacing: 0 }).arrayBuffer();

    expect(paced).toBeGreaterThanOrEqual(180);
    expect(performance.now() - quick).toBeLessThan(100);
  });

  it('reports completed once the last frame is sent, and cancelled when the reader gives up first', async () => {
    const outcomes: ResponseOutcome[] = [];
    await toResponse(plan([0]), { pacing: 1, onFinish: (outcome) => outcomes.push(outcome) }).arrayBuffer();
    const slow = toResponse(plan([0, 5_000]), { pacing: 1, onFinish: (outcome) => outcomes.push(outcome) });
    const reader = slow.body?.getReader();
    await reader?.read();
    await reader?.cancel();

    expect(outcomes).toEqual(['completed', 'cancelled']);
  });

  it('holds a stalled stream open after its frames until the reader gives up', async () => {
    const outcomes: ResponseOutcome[] = [];
    const reader = toResponse(plan([0], { stall: true }), {
      pacing: 1,
      onFinish: (o) => outcomes.push(o),
    }).body?.getReader();
    await reader?.read();
    const next = await Promise.race([
      reader?.read(),
      new Promise((resolve) => setTimeout(() => resolve('silence'), 200)),
    ]);

    expect(next).toBe('silence');
    expect(outcomes).toEqual([]);
    await reader?.cancel();
    expect(outcomes).toEqual(['cancelled']);
  });

  it('sends JSON plans whole, after their delay', async () => {
    const response = toResponse(jsonPlan({ ok: true }), { pacing: 1 });

    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe('errorPlan', () => {
  it('is shaped like a Bedrock error: status, x-amzn-errortype and a message', () => {
    expect(errorPlan(429, 'ThrottlingException', 'slow down')).toEqual({
      kind: 'json',
      status: 429,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ThrottlingException' },
      body: '{"message":"slow down"}',
    });
  });
});
