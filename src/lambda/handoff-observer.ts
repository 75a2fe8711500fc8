import { METRICS } from '../analytics/metrics.ts';
import type { StatsLedger } from '../analytics/stats-ledger.ts';
import type { HandoffFact } from '../analytics/turn-facts.ts';
import type { HandoffObserver } from '../chat/handoff/handoff-dependencies.ts';
import { addMetric, type Observability } from './observability.ts';

/**
 * The handoff's hooks as log lines and EMF metrics (handoffs by reason, time to claim, time to resolve), and
 * as counts in the usage stats ledger (the admin page's and `npm run usage`'s handoffs figure).
 */
export function createHandoffObserver(
  { logger, metrics }: Observability,
  stats: Pick<StatsLedger, 'recordHandoff'>,
): HandoffObserver {
  // A failed count loses only that count from the figures, never the handoff.
  const count = (fact: HandoffFact) =>
    stats
      .recordHandoff(fact)
      .catch((error: unknown) => logger.warn('handoff not counted in the usage stats', { error }));
  return {
    queued(handoff) {
      logger.info('handoff queued', { sessionId: handoff.sessionId, reason: handoff.reason });
      metrics
        .singleMetric()
        .addDimension('reason', handoff.reason)
        .addMetric(METRICS.handoffs.name, METRICS.handoffs.unit, 1);
      return count({ userId: handoff.userId, step: 'queued', reason: handoff.reason, at: handoff.queuedAt });
    },
    claimed(handoff, waitedMs) {
      logger.info('handoff claimed', {
        sessionId: handoff.sessionId,
        agentId: handoff.agentId,
        reason: handoff.reason,
        waitedMs,
      });
      addMetric(metrics, METRICS.handoffTimeToClaim, waitedMs);
      const at = handoff.claimedAt ?? handoff.queuedAt + waitedMs;
      return count({ userId: handoff.userId, step: 'claimed', reason: handoff.reason, waitedMs, at });
    },
    resolved(handoff, outcome, durationMs) {
      logger.info('handoff resolved', {
        sessionId: handoff.sessionId,
        agentId: handoff.agentId,
        reason: handoff.reason,
        outcome,
        durationMs,
      });
      metrics
        .singleMetric()
        .addDimension('outcome', outcome)
        .addMetric(METRICS.handoffTimeToResolve.name, METRICS.handoffTimeToResolve.unit, durationMs);
      const at = handoff.queuedAt + durationMs;
      return count({ userId: handoff.userId, step: outcome, reason: handoff.reason, at });
    },
  };
}
