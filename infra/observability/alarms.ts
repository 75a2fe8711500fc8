import type { CloudWatchLine, CloudWatchStat } from '../../src/analytics/cloudwatch-view.ts';
import { METRICS } from '../../src/analytics/metrics.ts';
import { metricOfLine, PERIOD_SECONDS } from './metric-query.ts';
import type { StackNames } from './stack-names.ts';

type MetricLine = Extract<CloudWatchLine, { metric: unknown } | { aws: unknown }>;

/** An alarm on one line, or on an expression over lines (ids `m…`); it fires above (or at) `threshold`. */
export interface AlarmDefinition {
  /** CloudFormation logical id, and the end of the alarm's name. */
  id: string;
  description: string;
  lines: MetricLine[];
  /** Metric math over the lines; absent: the single line is the alarm's value. */
  expression?: string;
  threshold: number | ((names: StackNames) => number);
  comparison: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold';
  /** Of the last `evaluationPeriods` five-minute periods, `datapointsToAlarm` must breach. */
  evaluationPeriods: number;
  datapointsToAlarm: number;
}

const ours = (id: string, metric: MetricLine & { metric: unknown }) => ({ ...metric, id });
const lambda = (id: string, name: string, fn: string, stat: CloudWatchStat): MetricLine => ({
  id,
  aws: { namespace: 'AWS/Lambda', name, function: fn },
  stat,
  label: `${fn} ${name}`,
});

/** Functions whose throttling a user notices at once: connecting, asking, reading the history, stopping. */
const USER_FACING = ['authorize', 'connect', 'sendMessage', 'resume', 'getHistory', 'cancel'];

/** A turn near its Lambda timeout: 90% of it (API Gateway gives up at 29 s whatever the Lambda does). */
const nearTimeoutMs = (names: StackNames) =>
  Math.min(names.functionTimeouts.sendMessage ?? 28, names.functionTimeouts.resume ?? 28) * 900;

export const ALARMS: readonly AlarmDefinition[] = [
  {
    id: 'ServerErrorRateAlarm',
    description:
      'More than 5% of turns failed on our side (model, storage, internal; client errors excluded) in 2 of 3 five-minute periods with at least 10 turns.',
    lines: [
      ours('errors', { metric: METRICS.serverErrors, stat: 'Sum', label: 'server errors', id: '' }),
      ours('turns', { metric: METRICS.turns, stat: 'Sum', label: 'turns', id: '' }),
      ours('resumes', { metric: METRICS.resumes, stat: 'Sum', label: 'resumes', id: '' }),
    ],
    expression:
      'IF(FILL(turns, 0) + FILL(resumes, 0) >= 10, 100 * FILL(errors, 0) / (FILL(turns, 0) + FILL(resumes, 0)), 0)',
    threshold: 5,
    comparison: 'GreaterThanThreshold',
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
  },
  {
    id: 'TimeToFirstTokenAlarm',
    description: 'p95 time to first token above 5 s for 15 minutes (tool rounds included).',
    lines: [ours('ttft', { metric: METRICS.timeToFirstToken, stat: 'p95', label: 'p95', id: '' })],
    threshold: 5_000,
    comparison: 'GreaterThanThreshold',
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
  },
  {
    id: 'ModelThrottlingAlarm',
    description:
      'Bedrock throttled 5 or more turns in five minutes (MODEL_THROTTLED): raise the quota or slow down.',
    lines: [
      ours('throttled', {
        metric: METRICS.errors,
        stat: 'Sum',
        label: 'MODEL_THROTTLED',
        dimensions: { code: 'MODEL_THROTTLED' },
        id: '',
      }),
    ],
    threshold: 5,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  {
    id: 'LambdaThrottlesAlarm',
    description: `Lambda throttled a user-facing function (${USER_FACING.join(', ')}): concurrency is exhausted.`,
    lines: USER_FACING.map((fn, i) => lambda(`t${i}`, 'Throttles', fn, 'Sum')),
    expression: `SUM([${USER_FACING.map((_, i) => `FILL(t${i}, 0)`).join(', ')}])`,
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  {
    id: 'DynamoDbThrottlesAlarm',
    description:
      'DynamoDB throttled reads or writes of the chat table (on-demand: a sudden spike or a hot key).',
    lines: [
      {
        id: 'reads',
        aws: { namespace: 'AWS/DynamoDB', name: 'ReadThrottleEvents' },
        stat: 'Sum',
        label: 'reads',
      },
      {
        id: 'writes',
        aws: { namespace: 'AWS/DynamoDB', name: 'WriteThrottleEvents' },
        stat: 'Sum',
        label: 'writes',
      },
    ],
    expression: 'FILL(reads, 0) + FILL(writes, 0)',
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  {
    id: 'TurnNearTimeoutAlarm',
    description:
      'A sendMessage or resume invocation ran longer than 90% of its timeout: close to the 29 s API Gateway limit.',
    lines: [
      lambda('send', 'Duration', 'sendMessage', 'Maximum'),
      lambda('resume', 'Duration', 'resume', 'Maximum'),
    ],
    expression: 'MAX([FILL(send, 0), FILL(resume, 0)])',
    threshold: nearTimeoutMs,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  {
    id: 'TurnDeadlineAlarm',
    description:
      'A turn stopped at its own deadline guard (stopReason "timeout"), a few seconds before the Lambda would have been killed.',
    lines: [
      ours('deadline', { metric: METRICS.deadlineReached, stat: 'Sum', label: 'deadline reached', id: '' }),
    ],
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  {
    id: 'TurnLambdaErrorsAlarm',
    description:
      'sendMessage or resume failed as a Lambda (timeout, crash, out of memory): the handlers themselves never throw.',
    lines: [lambda('send', 'Errors', 'sendMessage', 'Sum'), lambda('resume', 'Errors', 'resume', 'Sum')],
    expression: 'FILL(send, 0) + FILL(resume, 0)',
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
];

/** One alarm as CloudFormation properties: always in the `Metrics` form, so one shape fits every alarm. */
export function renderAlarm(alarm: AlarmDefinition, names: StackNames, actions: unknown[]) {
  const queries = alarm.lines.map((line) => {
    const metric = metricOfLine(line, names);
    if (!metric) throw new Error(`Alarm ${alarm.id}: line ${line.id} names no metric`);
    return {
      Id: line.id,
      MetricStat: {
        Metric: {
          Namespace: metric.namespace,
          MetricName: metric.name,
          Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: PERIOD_SECONDS,
        Stat: line.stat,
      },
      ReturnData: alarm.expression === undefined,
    };
  });
  return {
    AlarmName: `${names.alarmPrefix}-${alarm.id.replace(/Alarm$/, '')}`,
    AlarmDescription: alarm.description,
    ActionsEnabled: true,
    ...(actions.length ? { AlarmActions: actions, OKActions: actions } : {}),
    Metrics: alarm.expression
      ? [...queries, { Id: 'value', Expression: alarm.expression, Label: alarm.id, ReturnData: true }]
      : queries,
    Threshold: typeof alarm.threshold === 'function' ? alarm.threshold(names) : alarm.threshold,
    ComparisonOperator: alarm.comparison,
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    // No traffic is no alarm: metrics are only emitted when turns happen.
    TreatMissingData: 'notBreaching',
  };
}
