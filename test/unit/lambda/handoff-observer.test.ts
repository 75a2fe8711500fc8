import { describe, expect, it } from 'vitest';
import { createMemoryStatsLedger } from '../../../src/adapters/memory/memory-stats-ledger.ts';
import { HOUR_MS } from '../../../src/analytics/stats-ledger.ts';
import type { StoredHandoff } from '../../../src/chat/handoff/handoff-ports.ts';
import { createHandoffObserver } from '../../../src/lambda/handoff-observer.ts';
import { createObservability } from '../../../src/lambda/observability.ts';
import { captureJsonLines } from '../../support/captured-output.ts';

const T0 = Date.UTC(2026, 10, 30, 10);

const handoff: StoredHandoff = {
  sessionId: 's-1',
  userId: 'ana',
  reason: 'user_request',
  summary: 'Wants a person.',
  status: 'claimed',
  queuedAt: T0,
  agentId: 'carol',
  claimedAt: T0 + 45_000,
  events: [],
  expiresAt: T0 / 1000 + 86_400,
};

describe('the handoff observer', () => {
  it('counts each step in the usage stats ledger, for the user whose conversation it is', async () => {
    const stats = createMemoryStatsLedger();
    const observer = createHandoffObserver(createObservability(), stats);
    await captureJsonLines(async () => {
      await observer.queued?.(handoff);
      await observer.claimed?.(handoff, 45_000);
      await observer.resolved?.(handoff, 'released', 120_000);
    });

    const rows = await stats.read({ since: T0, until: T0 + HOUR_MS });
    expect(rows).toEqual([
      {
        hour: T0,
        kind: 'handoffs',
        userId: 'ana',
        counters: {
          'handoffStep.queued': 1,
          'handoffReason.user_request': 1,
          'handoffStep.claimed': 1,
          'handoffWait.sumMs': 45_000,
          'handoffStep.released': 1,
        },
      },
    ]);
  });

  it('logs a count it could not write and never fails the action for it', async () => {
    const observer = createHandoffObserver(createObservability(), {
      recordHandoff: () => Promise.reject(new Error('DynamoDB is away')),
    });
    const lines = await captureJsonLines(async () => {
      await expect(observer.queued?.(handoff)).resolves.toBeUndefined();
    });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'handoff not counted in the usage stats' }),
    );
  });
});
