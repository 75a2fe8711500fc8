import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { FirstTokenTimings, TurnObserver, TurnSummary } from '../chat/turn.ts';
import type { ErrorCode } from '../protocol/server-frame.ts';

export const METRICS_NAMESPACE = 'BedrockWsChat';

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
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'chat' }),
  };
}

/** The logger alone, for the $connect authorizer, which records no metrics. */
export function createLogger(): Logger {
  return new Logger({ serviceName: 'chat' });
}

/** Errors by code, as their own metric so each code gets a dimension. */
export function recordError({ metrics }: Observability, code: ErrorCode): void {
  metrics.singleMetric().addDimension('code', code).addMetric('Errors', MetricUnit.Count, 1);
}

/**
 * A frame that could not be delivered for another reason than a closed connection (410): a timeout,
 * throttling, a 5xx. Counted apart from clients that left, which are normal and only logged at info.
 */
export function recordPushFailure({ logger, metrics }: Observability, error: unknown): void {
  logger.warn('push failed', { error });
  metrics.addMetric('PushFailures', MetricUnit.Count, 1);
}

/** The chat core's hooks, as log lines and metrics. `toolUse` lines make the planner's choices searchable. */
export function createTurnObserver(observability: Observability): TurnObserver {
  const { logger, metrics } = observability;
  return {
    toolCalled({ name, input, status, durationMs }) {
      logger.info('toolUse', { tool: name, input, status, durationMs: Math.round(durationMs) });
      metrics.singleMetric().addDimension('tool', name).addMetric('ToolInvocations', MetricUnit.Count, 1);
    },
    pushFailed(error) {
      recordPushFailure(observability, error);
    },
    citationsDropped({ turnId, numbers }) {
      logger.warn('answer cited passages not retrieved in its turn; citations dropped', { turnId, numbers });
      metrics.addMetric('CitationsDropped', MetricUnit.Count, numbers.length);
    },
    usageNotRecorded(error) {
      logger.warn('per-user usage not recorded; the turn itself was saved', { error });
    },
    saveConflict(attempt) {
      logger.warn('session changed since it was read; re-applying the turn', { attempt });
      metrics.addMetric('SessionWriteConflicts', MetricUnit.Count, 1);
    },
    turnFinished(summary: TurnSummary, durationMs: number) {
      logger.info('turn finished', {
        ...summary,
        timings: roundedTimings(summary.timings),
        durationMs: Math.round(durationMs),
      });
      const { readyMs, firstTextMs, firstTokenMs } = summary.timings;
      metrics.addMetric('TimeToReady', MetricUnit.Milliseconds, readyMs);
      if (firstTextMs !== undefined)
        metrics.addMetric('ModelTimeToFirstText', MetricUnit.Milliseconds, firstTextMs - readyMs);
      if (firstTokenMs !== undefined)
        metrics.addMetric('TimeToFirstToken', MetricUnit.Milliseconds, firstTokenMs);
      metrics.addMetric('TurnDuration', MetricUnit.Milliseconds, durationMs);
      metrics.addMetric('InputTokens', MetricUnit.Count, summary.usage.inputTokens);
      metrics.addMetric('OutputTokens', MetricUnit.Count, summary.usage.outputTokens);
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
