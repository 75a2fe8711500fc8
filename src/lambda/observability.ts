import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  METRICS,
  METRICS_NAMESPACE,
  type MetricDefinition,
  SERVER_ERROR_CODES,
  SERVICE_DIMENSION,
} from '../analytics/metrics.ts';
import type { FirstTokenTimings, TurnObserver, TurnSummary } from '../chat/turn.ts';
import type { ErrorCode } from '../protocol/server-frame.ts';

export { METRICS_NAMESPACE };

/**
 * Structured JSON logs and CloudWatch Embedded Metric Format metrics (Powertools for AWS Lambda), one pair per
 * container. POWERTOOLS_DEV=true (the local stage) pretty-prints logs and turns metrics off.
 */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

export function createObservability(): Observability {
  return {
    logger: createLogger(),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_DIMENSION.value }),
  };
}

/** The logger alone, for the $connect authorizer, which records no metrics. */
export function createLogger(): Logger {
  return new Logger({ serviceName: 'chat' });
}

/** Adds one value of a metric of the catalogue (src/analytics/metrics.ts) to the invocation's metrics. */
export function addMetric(metrics: Metrics, metric: MetricDefinition, value: number): void {
  metrics.addMetric(metric.name, metric.unit, value);
}

/**
 * Errors by code, as their own metric so each code gets a dimension; the service's own failures also count
 * in ServerErrors, which has no code dimension so that the error-rate alarm can read it.
 */
export function recordError({ metrics }: Observability, code: ErrorCode): void {
  metrics.singleMetric().addDimension('code', code).addMetric(METRICS.errors.name, METRICS.errors.unit, 1);
  if (SERVER_ERROR_CODES.has(code)) addMetric(metrics, METRICS.serverErrors, 1);
}

/** Answer feedback by rating (`Feedback`, dimension `rating`: up or down), and how many came with a comment. */
export function recordFeedback(
  { logger, metrics }: Observability,
  rating: 'up' | 'down',
  commented: boolean,
): void {
  logger.info('feedback', { rating, commented });
  metrics
    .singleMetric()
    .addDimension('rating', rating)
    .addMetric(METRICS.feedback.name, METRICS.feedback.unit, 1);
  if (commented) addMetric(metrics, METRICS.feedbackComments, 1);
}

/**
 * A frame that could not be delivered for another reason than a closed connection (410): a timeout,
 * throttling, a 5xx. Counted apart from clients that left, which are normal and only logged at info.
 */
export function recordPushFailure({ logger, metrics }: Observability, error: unknown): void {
  logger.warn('push failed', { error });
  addMetric(metrics, METRICS.pushFailures, 1);
}

/** The chat core's hooks, as log lines and metrics. `toolUse` lines make the planner's choices searchable. */
export function createTurnObserver(observability: Observability): TurnObserver {
  const { logger, metrics } = observability;
  return {
    toolCalled({ name, input, status, durationMs }) {
      logger.info('toolUse', { tool: name, input, status, durationMs: Math.round(durationMs) });
      metrics
        .singleMetric()
        .addDimension('tool', name)
        .addMetric(METRICS.toolInvocations.name, METRICS.toolInvocations.unit, 1);
    },
    pushFailed(error) {
      recordPushFailure(observability, error);
    },
    citationsDropped({ turnId, numbers }) {
      logger.warn('answer cited passages not retrieved in its turn; citations dropped', { turnId, numbers });
      addMetric(metrics, METRICS.citationsDropped, numbers.length);
    },
    usageNotRecorded(error) {
      logger.warn('per-user usage not recorded; the turn itself was saved', { error });
    },
    saveConflict(attempt) {
      logger.warn('session changed since it was read; re-applying the turn', { attempt });
      addMetric(metrics, METRICS.sessionWriteConflicts, 1);
    },
    turnFinished(summary: TurnSummary, durationMs: number) {
      logger.info('turn finished', {
        ...summary,
        timings: roundedTimings(summary.timings),
        durationMs: Math.round(durationMs),
      });
      const { readyMs, firstTextMs, firstTokenMs } = summary.timings;
      addMetric(metrics, METRICS.timeToReady, readyMs);
      if (firstTextMs !== undefined) addMetric(metrics, METRICS.modelTimeToFirstText, firstTextMs - readyMs);
      if (firstTokenMs !== undefined) addMetric(metrics, METRICS.timeToFirstToken, firstTokenMs);
      addMetric(metrics, METRICS.turnDuration, durationMs);
      addMetric(metrics, METRICS.inputTokens, summary.usage.inputTokens);
      addMetric(metrics, METRICS.outputTokens, summary.usage.outputTokens);
      addMetric(metrics, METRICS.cacheReadTokens, summary.usage.cacheReadTokens ?? 0);
      addMetric(metrics, METRICS.cacheWriteTokens, summary.usage.cacheWriteTokens ?? 0);
      addMetric(metrics, METRICS.estimatedCost, summary.costMicroUsd ?? 0);
      if (summary.stopReason === 'timeout') addMetric(metrics, METRICS.deadlineReached, 1);
      if (summary.errorCode) recordError(observability, summary.errorCode);
    },
  };
}

/** Tenths of a millisecond: precise enough to compare phases, short enough to read. */
function roundedTimings({ readyMs, firstTextMs, firstTokenMs }: FirstTokenTimings): FirstTokenTimings {
  const tenths = (ms: number) => Math.round(ms * 10) / 10;
  return {
    readyMs: tenths(readyMs),
    firstTextMs: firstTextMs === undefined ? undefined : tenths(firstTextMs),
    firstTokenMs: firstTokenMs === undefined ? undefined : tenths(firstTokenMs),
  };
}
