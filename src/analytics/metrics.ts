import type { ErrorCode } from '../protocol/server-frame.ts';

/**
 * Every CloudWatch metric the handlers emit (Embedded Metric Format, namespace METRICS_NAMESPACE), with its
 * unit and the dimensions it carries besides `service`. The observer emits these names; the dashboard and the
 * alarms (infra/observability/) name them from here, and the template tests check both against what the code
 * really emits.
 */
export const METRICS_NAMESPACE = 'BedrockWsChat';

/** Powertools adds `service` to every metric. */
export const SERVICE_DIMENSION = { name: 'service', value: 'chat' } as const;

export type MetricUnitName = 'Count' | 'Milliseconds' | 'None';

export interface MetricDefinition {
  name: string;
  unit: MetricUnitName;
  /** Dimensions besides `service`, in the order they are emitted. */
  dimensions: readonly string[];
}

const metric = (name: string, unit: MetricUnitName, dimensions: readonly string[] = []) =>
  ({ name, unit, dimensions }) satisfies MetricDefinition;

export const METRICS = {
  turns: metric('Turns', 'Count'),
  resumes: metric('Resumes', 'Count'),
  sessionsStarted: metric('SessionsStarted', 'Count'),
  toolInvocations: metric('ToolInvocations', 'Count', ['tool']),
  timeToFirstToken: metric('TimeToFirstToken', 'Milliseconds'),
  timeToReady: metric('TimeToReady', 'Milliseconds'),
  modelTimeToFirstText: metric('ModelTimeToFirstText', 'Milliseconds'),
  turnDuration: metric('TurnDuration', 'Milliseconds'),
  errors: metric('Errors', 'Count', ['code']),
  /** Errors that are ours to fix (not the client's), without a code dimension: what the error-rate alarm reads. */
  serverErrors: metric('ServerErrors', 'Count'),
  coldStart: metric('ColdStart', 'Count', ['function_name']),
  inputTokens: metric('InputTokens', 'Count'),
  outputTokens: metric('OutputTokens', 'Count'),
  cacheReadTokens: metric('CacheReadTokens', 'Count'),
  cacheWriteTokens: metric('CacheWriteTokens', 'Count'),
  estimatedCost: metric('EstimatedCostMicroUsd', 'None'),
  /** A turn stopped by its own deadline guard, a few seconds before the Lambda (and API Gateway) would. */
  deadlineReached: metric('DeadlineReached', 'Count'),
  sessionWriteConflicts: metric('SessionWriteConflicts', 'Count'),
  pushFailures: metric('PushFailures', 'Count'),
  feedback: metric('Feedback', 'Count', ['rating']),
  feedbackComments: metric('FeedbackComments', 'Count'),
  /** Citations an answer made of passages its turn never retrieved: dropped, never shown (decision 22). */
  citationsDropped: metric('CitationsDropped', 'Count'),
  /** Conversations handed to a person, by why (docs/decisions/0026). */
  handoffs: metric('Handoffs', 'Count', ['reason']),
  /** From queued to an agent's claim. */
  handoffTimeToClaim: metric('HandoffTimeToClaim', 'Milliseconds'),
  /** From queued to released (or cancelled by the user), by how it ended. */
  handoffTimeToResolve: metric('HandoffTimeToResolve', 'Milliseconds', ['outcome']),
} as const satisfies Record<string, MetricDefinition>;

/**
 * Error codes that say the service failed, not the client: the error rate and its alarm count these only
 * (a client sending bad frames or too fast must not page anyone).
 */
export const SERVER_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SESSION_CONFLICT',
  'MODEL_THROTTLED',
  'MODEL_REJECTED',
  'MODEL_STREAM_ERROR',
  'MODEL_TIMEOUT',
  'MODEL_UNAVAILABLE',
  'STORAGE_UNAVAILABLE',
  'INTERNAL',
]);

/** Error codes that are throttling: the model's (Bedrock), and ours (the per-user turn rate). */
export const THROTTLE_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'MODEL_THROTTLED',
  'RATE_LIMITED',
]);
