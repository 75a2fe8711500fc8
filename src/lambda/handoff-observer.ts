import { METRICS } from '../analytics/metrics.ts';
import type { HandoffObserver } from '../chat/handoff/handoff-dependencies.ts';
import { addMetric, type Observability } from './observability.ts';

/** The handoff's hooks as log lines and EMF metrics: handoffs by reason, time to claim, time to resolve. */
export function createHandoffObserver({ logger, metrics }: Observability): HandoffObserver {
  return {
    queued(handoff) {
      logger.info('handoff queued', { sessionId: handoff.sessionId, reason: handoff.reason });
      metrics
        .singleMetric()
        .addDimension('reason', handoff.reason)
        .addMetric(METRICS.handoffs.name, METRICS.handoffs.unit, 1);
    },
    claimed(handoff, waitedMs) {
      logger.info('handoff claimed', {
        sessionId: handoff.sessionId,
        agentId: handoff.agentId,
        reason: handoff.reason,
        waitedMs,
      });
      addMetric(metrics, METRICS.handoffTimeToClaim, waitedMs);
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
    },
  };
}
