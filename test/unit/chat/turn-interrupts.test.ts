import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryTurnStore } from '../../../src/adapters/memory/memory-turn-store.ts';
import { createTurnInterrupts, interruptionOf } from '../../../src/chat/turn-interrupts.ts';

const START = Date.UTC(2026, 10, 24, 12, 0, 0);

function setup(remainingMs?: number, onFrozen?: (seenSeq: number) => void) {
  const turns = createMemoryTurnStore();
  void turns.claim({
    sessionId: 's',
    turnId: 't',
    runId: 'run-1',
    leaseUntil: START + 30_000,
    createdAt: START,
    expiresAt: 0,
  });
  const interrupts = createTurnInterrupts({
    turns,
    sessionId: 's',
    turnId: 't',
    runId: 'run-1',
    stopPollMs: 100,
    deadlineMarginMs: 50,
    onFrozen,
    ...(remainingMs === undefined ? {} : { remainingTimeMs: () => remainingMs }),
  });
  const stopRequests = {
    request: (reason: 'cancelled' | 'client_gone', seenSeq?: number) =>
      turns.requestStop('s', 't', undefined, { reason, requestedAt: START + 10, seenSeq }),
  };
  return { turns, stopRequests, interrupts };
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
    await stopRequests.request('cancelled');
    await vi.advanceTimersByTimeAsync(100);
    expect(interruptionOf(interrupts.signal)).toBe('cancelled');
    interrupts.end();
  });

  it('freezes the answer at the seq the client showed before it aborts', async () => {
    const frozen = vi.fn();
    const { interrupts, stopRequests } = setup(undefined, frozen);
    interrupts.signal.addEventListener('abort', () => expect(frozen).toHaveBeenCalledWith(4));
    await stopRequests.request('cancelled', 4);
    await vi.advanceTimersByTimeAsync(100);
    expect(frozen).toHaveBeenCalledOnce();
    expect(interruptionOf(interrupts.signal)).toBe('cancelled');
    interrupts.end();
  });

  it('ignores a stop request made for another run of the turn', async () => {
    const { interrupts, stopRequests, turns } = setup();
    await stopRequests.request('client_gone');
    await turns.takeOver('s', 't', 'run-1', { runId: 'run-0', leaseUntil: START });
    await turns.requestStop('s', 't', undefined, { reason: 'cancelled', requestedAt: START });
    await vi.advanceTimersByTimeAsync(500);
    expect(interrupts.signal.aborted).toBe(false);
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
    await stopRequests.request('cancelled');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(interrupts.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
