import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStopRequests } from '../../../src/adapters/memory/memory-stop-requests.ts';
import { createTurnInterrupts, interruptionOf } from '../../../src/chat/turn-interrupts.ts';

const START = Date.UTC(2026, 10, 24, 12, 0, 0);

function setup(remainingMs?: number) {
  const stopRequests = createMemoryStopRequests();
  const interrupts = createTurnInterrupts({
    stopRequests,
    sessionId: 's',
    turnId: 't',
    startedAt: START,
    stopPollMs: 100,
    deadlineMarginMs: 50,
    ...(remainingMs === undefined ? {} : { remainingTimeMs: () => remainingMs }),
  });
  return { stopRequests, interrupts };
}

describe('createTurnInterrupts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('aborts with client_gone when a push finds the client gone', () => {
    const { interrupts } = setup();
    interrupts.clientGone();
    expect(interruptionOf(interrupts.signal)).toBe('client_gone');
    interrupts.end();
  });

  it('aborts with timeout at the Lambda deadline less the margin, not before', async () => {
    const { interrupts } = setup(1_000);
    await vi.advanceTimersByTimeAsync(949);
    expect(interrupts.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(interruptionOf(interrupts.signal)).toBe('timeout');
    interrupts.end();
  });

  it('aborts with the reason of a stop request found by its poll', async () => {
    const { interrupts, stopRequests } = setup();
    await stopRequests.request('s', 't', { reason: 'cancelled', requestedAt: START + 10 });
    await vi.advanceTimersByTimeAsync(100);
    expect(interruptionOf(interrupts.signal)).toBe('cancelled');
    interrupts.end();
  });

  it('keeps the first reason when several sources fire', async () => {
    const { interrupts } = setup(100);
    interrupts.clientGone();
    await vi.advanceTimersByTimeAsync(200);
    expect(interruptionOf(interrupts.signal)).toBe('client_gone');
    interrupts.end();
  });

  it('ignores the deadline and stop requests once the answer is complete', async () => {
    const { interrupts, stopRequests } = setup(1_000);
    interrupts.end();
    await stopRequests.request('s', 't', { reason: 'cancelled', requestedAt: START + 10 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(interrupts.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
