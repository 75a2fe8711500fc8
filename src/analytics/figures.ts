import type { FigureReport, FigureUnit } from '../protocol/server-frame.ts';
import type { CloudWatchView } from './cloudwatch-view.ts';
import { exactPercentileOf, percentileOf } from './histogram.ts';
import { METRICS, SERVER_ERROR_CODES, THROTTLE_ERROR_CODES } from './metrics.ts';
import type { StatsView } from './stats-view.ts';
import { COUNTERS, type Counters, KEYED } from './turn-facts.ts';

/**
 * Every usage figure, defined once: how the admin page and `npm run usage` compute it from the stats ledger
 * (`report`), and how the CloudWatch dashboard shows it from the EMF metrics (`cloudwatch`). To add a figure
 * (handoffs, feedback): count it per turn in turn-facts.ts (and emit its metric in turn-stats.ts), then add a
 * definition here; the admin page, the export and the dashboard pick it up.
 */
export interface FigureDefinition {
  id: string;
  title: string;
  description: string;
  unit: FigureUnit;
  report(view: StatsView): Pick<FigureReport, 'values' | 'series' | 'breakdown'>;
  cloudwatch?: CloudWatchView;
}

const BREAKDOWN_LIMIT = 12;

const get = (counters: Counters, name: string) => counters[name] ?? 0;
const runsOf = (counters: Counters) => get(counters, COUNTERS.turns) + get(counters, COUNTERS.resumes);
const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);
const round = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? null : Math.round(value * 10 ** digits) / 10 ** digits;
const usd = (micro: number) => micro / 1_000_000;

/** Counters under a prefix, by key, largest first. */
function keyed(counters: Counters, prefix: string): Array<{ key: string; value: number }> {
  return Object.entries(counters)
    .filter(([name, value]) => name.startsWith(prefix) && value !== 0)
    .map(([name, value]) => ({ key: name.slice(prefix.length), value }))
    .sort((a, b) => b.value - a.value || a.key.localeCompare(b.key));
}

/** Bucket counts of a histogram, by index. */
function bucketsOf(counters: Counters, prefix: string): Record<number, number> {
  return Object.fromEntries(keyed(counters, prefix).map(({ key, value }) => [Number(key), value]));
}

const perHour = (view: StatsView, value: (counters: Counters, hour: number) => number | null) =>
  view.byHour.map((counters, hour) => value(counters, hour));

function latencyFigure(prefix: string, sumName: string, countOf: (c: Counters) => number) {
  return (view: StatsView) => {
    const count = countOf(view.total);
    return {
      values: [
        { label: 'p50', value: round(percentileOf(bucketsOf(view.total, prefix), 50), 0) },
        { label: 'p95', value: round(percentileOf(bucketsOf(view.total, prefix), 95), 0) },
        { label: 'average', value: round(ratio(get(view.total, sumName), count), 0) },
      ],
      series: [50, 95].map((p) => ({
        label: `p${p}`,
        values: perHour(view, (counters) => round(percentileOf(bucketsOf(counters, prefix), p), 0) ?? null),
      })),
    };
  };
}

export const FIGURES: readonly FigureDefinition[] = [
  {
    id: 'turns',
    title: 'Turns per hour',
    description: 'Questions answered (sendMessage) and answers resumed after a reconnect.',
    unit: 'count',
    report: (view) => ({
      values: [
        { label: 'turns', value: get(view.total, COUNTERS.turns) },
        { label: 'resumed', value: get(view.total, COUNTERS.resumes) },
      ],
      series: [
        { label: 'turns', values: perHour(view, (c) => get(c, COUNTERS.turns)) },
        { label: 'resumed', values: perHour(view, (c) => get(c, COUNTERS.resumes)) },
      ],
    }),
    cloudwatch: {
      lines: [
        { id: 'turns', metric: METRICS.turns, stat: 'Sum', label: 'turns' },
        { id: 'resumes', metric: METRICS.resumes, stat: 'Sum', label: 'resumed' },
      ],
    },
  },
  {
    id: 'sessions',
    title: 'Sessions per hour',
    description: 'Sessions started (their first turn saved), and sessions with a turn in the hour.',
    unit: 'count',
    report: (view) => ({
      values: [
        { label: 'started', value: get(view.total, COUNTERS.sessionsStarted) },
        { label: 'active', value: view.sessions.length },
      ],
      series: [
        { label: 'started', values: perHour(view, (c) => get(c, COUNTERS.sessionsStarted)) },
        { label: 'active', values: [...view.activeSessionsByHour] },
      ],
    }),
    cloudwatch: {
      lines: [{ id: 'started', metric: METRICS.sessionsStarted, stat: 'Sum', label: 'started' }],
      note: 'Active sessions are counted per session in the stats ledger; EMF metrics carry no session id.',
    },
  },
  {
    id: 'sessionTurns',
    title: 'Session length (turns)',
    description: 'Turns per session active in the range (its turns inside the range).',
    unit: 'turns',
    report: (view) => {
      const turns = view.sessions.map((session) => session.turns);
      return {
        values: [
          { label: 'average', value: round(ratio(sum(turns), turns.length)) },
          { label: 'p95', value: exactPercentileOf(turns, 95) ?? null },
        ],
      };
    },
    cloudwatch: {
      lines: [
        { id: 'turns', metric: METRICS.turns, stat: 'Sum', label: 'turns', hidden: true },
        { id: 'started', metric: METRICS.sessionsStarted, stat: 'Sum', label: 'sessions', hidden: true },
        { id: 'perSession', expression: 'turns / started', label: 'turns per session started' },
      ],
      note: 'p95 needs each session: on the admin page only.',
    },
  },
  {
    id: 'sessionMinutes',
    title: 'Session length (minutes)',
    description: 'From the start of a session’s first turn to the end of its last, inside the range.',
    unit: 'minutes',
    report: (view) => {
      const minutes = view.sessions.map((session) => (session.lastAt - session.firstAt) / 60_000);
      return {
        values: [
          { label: 'average', value: round(ratio(sum(minutes), minutes.length), 1) },
          { label: 'p95', value: round(exactPercentileOf(minutes, 95), 1) },
        ],
      };
    },
  },
  {
    id: 'tools',
    title: 'Tool calls',
    description: 'Tool invocations by tool, and per turn.',
    unit: 'count',
    report: (view) => {
      const byTool = keyed(view.total, KEYED.tool);
      const calls = sum(byTool.map(({ value }) => value));
      return {
        values: [
          { label: 'calls', value: calls },
          { label: 'per turn', value: round(ratio(calls, runsOf(view.total))) },
        ],
        series: byTool.slice(0, 6).map(({ key }) => ({
          label: key,
          values: perHour(view, (c) => get(c, `${KEYED.tool}${key}`)),
        })),
        breakdown: byTool.slice(0, BREAKDOWN_LIMIT),
      };
    },
    cloudwatch: { lines: [{ id: 'tools', search: METRICS.toolInvocations, stat: 'Sum' }], stacked: true },
  },
  {
    id: 'timeToFirstToken',
    title: 'Time to first token',
    description: 'From the request to the first token delivered to the client (tool rounds included).',
    unit: 'ms',
    report: latencyFigure(KEYED.ttftBucket, COUNTERS.ttftSumMs, (c) => get(c, COUNTERS.ttftCount)),
    cloudwatch: {
      lines: [
        { id: 'p50', metric: METRICS.timeToFirstToken, stat: 'p50', label: 'p50' },
        { id: 'p95', metric: METRICS.timeToFirstToken, stat: 'p95', label: 'p95' },
      ],
    },
  },
  {
    id: 'turnDuration',
    title: 'Turn duration',
    description: 'From the request to the end of the turn (done or error).',
    unit: 'ms',
    report: latencyFigure(KEYED.durationBucket, COUNTERS.durationSumMs, runsOf),
    cloudwatch: {
      lines: [
        { id: 'p50', metric: METRICS.turnDuration, stat: 'p50', label: 'p50' },
        { id: 'p95', metric: METRICS.turnDuration, stat: 'p95', label: 'p95' },
      ],
    },
  },
  {
    id: 'errors',
    title: 'Errors by code',
    description:
      'Error frames sent, by code: failed turns and refused requests. The rate counts only the service’s own failures.',
    unit: 'count',
    report: (view) => {
      const byCode = keyed(view.total, KEYED.error);
      const serverErrors = sum(byCode.filter(({ key }) => isServerError(key)).map(({ value }) => value));
      return {
        values: [
          { label: 'errors', value: sum(byCode.map(({ value }) => value)) },
          { label: 'server error rate %', value: round(percent(serverErrors, runsOf(view.total))) },
        ],
        series: [
          {
            label: 'errors',
            values: perHour(view, (c) => sum(keyed(c, KEYED.error).map(({ value }) => value))),
          },
        ],
        breakdown: byCode,
      };
    },
    cloudwatch: { lines: [{ id: 'errors', search: METRICS.errors, stat: 'Sum' }], stacked: true },
  },
  {
    id: 'stops',
    title: 'How turns ended',
    description: 'Stop reasons of turns that were answered (end_turn, cancelled, client_gone, timeout…).',
    unit: 'count',
    report: (view) => {
      const byReason = keyed(view.total, KEYED.stop);
      const interrupted = get(view.total, `${KEYED.outcome}interrupted`);
      return {
        values: [
          { label: 'interrupted', value: interrupted },
          { label: 'failed', value: get(view.total, `${KEYED.outcome}failed`) },
        ],
        breakdown: byReason,
      };
    },
    cloudwatch: {
      lines: [
        { id: 'deadline', metric: METRICS.deadlineReached, stat: 'Sum', label: 'stopped at the deadline' },
      ],
      note: 'Other stop reasons are on the admin page.',
    },
  },
  {
    id: 'coldStarts',
    title: 'Cold starts',
    description: 'Share of turns that ran in a fresh Lambda container.',
    unit: 'percent',
    report: (view) => ({
      values: [
        { label: 'share %', value: round(percent(get(view.total, COUNTERS.coldStarts), runsOf(view.total))) },
        { label: 'cold starts', value: get(view.total, COUNTERS.coldStarts) },
      ],
      series: [
        {
          label: 'share %',
          values: perHour(view, (c) => round(percent(get(c, COUNTERS.coldStarts), runsOf(c)))),
        },
      ],
    }),
    cloudwatch: {
      lines: [
        {
          id: 'cold',
          metric: METRICS.coldStart,
          stat: 'Sum',
          label: 'cold starts',
          dimensions: { function_name: { function: 'sendMessage' } },
          hidden: true,
        },
        {
          id: 'invocations',
          aws: { namespace: 'AWS/Lambda', name: 'Invocations', function: 'sendMessage' },
          stat: 'Sum',
          label: 'invocations',
          hidden: true,
        },
        { id: 'share', expression: '100 * cold / invocations', label: 'sendMessage cold starts %' },
      ],
    },
  },
  {
    id: 'tokens',
    title: 'Tokens',
    description: 'Model input, output and prompt-cache tokens.',
    unit: 'tokens',
    report: (view) => {
      const kinds = [
        ['input', COUNTERS.inputTokens],
        ['output', COUNTERS.outputTokens],
        ['cache read', COUNTERS.cacheReadTokens],
        ['cache write', COUNTERS.cacheWriteTokens],
      ] as const;
      return {
        values: kinds.map(([label, name]) => ({ label, value: get(view.total, name) })),
        series: kinds.map(([label, name]) => ({ label, values: perHour(view, (c) => get(c, name)) })),
      };
    },
    cloudwatch: {
      lines: [
        { id: 'input', metric: METRICS.inputTokens, stat: 'Sum', label: 'input' },
        { id: 'output', metric: METRICS.outputTokens, stat: 'Sum', label: 'output' },
        { id: 'cacheRead', metric: METRICS.cacheReadTokens, stat: 'Sum', label: 'cache read' },
        { id: 'cacheWrite', metric: METRICS.cacheWriteTokens, stat: 'Sum', label: 'cache write' },
      ],
      stacked: true,
    },
  },
  {
    id: 'cost',
    title: 'Estimated model cost',
    description: 'On-demand prices from the configuration; per session and per user active in the range.',
    unit: 'usd',
    report: (view) => {
      const total = get(view.total, COUNTERS.costMicroUsd);
      return {
        values: [
          { label: 'total', value: usd(total) },
          { label: 'per session', value: nullableUsd(ratio(total, view.sessions.length)) },
          { label: 'per user', value: nullableUsd(ratio(total, view.users.length)) },
        ],
        series: [{ label: 'cost', values: perHour(view, (c) => usd(get(c, COUNTERS.costMicroUsd))) }],
        breakdown: [...view.users]
          .sort((a, b) => b.costMicroUsd - a.costMicroUsd || a.userId.localeCompare(b.userId))
          .slice(0, BREAKDOWN_LIMIT)
          .map((user) => ({ key: user.userId, value: usd(user.costMicroUsd) })),
      };
    },
    cloudwatch: {
      lines: [
        { id: 'micro', metric: METRICS.estimatedCost, stat: 'Sum', label: 'micro-USD', hidden: true },
        { id: 'started', metric: METRICS.sessionsStarted, stat: 'Sum', label: 'sessions', hidden: true },
        { id: 'cost', expression: 'micro / 1000000', label: 'USD' },
        { id: 'perSession', expression: 'micro / 1000000 / started', label: 'USD per session started' },
      ],
      note: 'Cost per user needs each user: on the admin page only.',
    },
  },
  {
    id: 'feedback',
    title: 'Answer feedback',
    description: "Answers rated good or bad (each answer's current rating counts once), and the good share.",
    unit: 'count',
    report: (view) => {
      const up = (c: Counters) => get(c, `${KEYED.feedback}up`);
      const down = (c: Counters) => get(c, `${KEYED.feedback}down`);
      return {
        values: [
          { label: 'good', value: up(view.total) },
          { label: 'bad', value: down(view.total) },
          { label: 'good %', value: round(percent(up(view.total), up(view.total) + down(view.total))) },
        ],
        series: [
          { label: 'good', values: perHour(view, up) },
          { label: 'bad', values: perHour(view, down) },
        ],
      };
    },
    cloudwatch: {
      lines: [
        { id: 'up', metric: METRICS.feedback, stat: 'Sum', label: 'good', dimensions: { rating: 'up' } },
        { id: 'down', metric: METRICS.feedback, stat: 'Sum', label: 'bad', dimensions: { rating: 'down' } },
      ],
      note: 'Counts ratings sent; a changed rating counts again here, while the admin page moves its count.',
    },
  },
  {
    id: 'handoffs',
    title: 'Handoffs to a person',
    description:
      'Conversations handed to a person (by reason), claimed by an agent, handed back to the assistant or cancelled; the average wait for a claim.',
    unit: 'count',
    report: (view) => {
      const step = (name: string) => (c: Counters) => get(c, `${KEYED.handoffStep}${name}`);
      const claimed = step('claimed')(view.total);
      const waitMs = ratio(get(view.total, COUNTERS.handoffWaitSumMs), claimed);
      return {
        values: [
          { label: 'handed off', value: step('queued')(view.total) },
          { label: 'claimed', value: claimed },
          { label: 'handed back', value: step('released')(view.total) },
          { label: 'cancelled', value: step('cancelled')(view.total) },
          { label: 'average wait s', value: round(waitMs === null ? null : waitMs / 1000, 1) },
        ],
        series: [
          { label: 'handed off', values: perHour(view, step('queued')) },
          { label: 'claimed', values: perHour(view, step('claimed')) },
        ],
        breakdown: keyed(view.total, KEYED.handoffReason).slice(0, BREAKDOWN_LIMIT),
      };
    },
    cloudwatch: {
      lines: [{ id: 'handoffs', search: METRICS.handoffs, stat: 'Sum' }],
      stacked: true,
      note: 'Handoffs by reason; the times to claim and to resolve are the HandoffTimeToClaim and HandoffTimeToResolve metrics.',
    },
  },
  {
    id: 'throttles',
    title: 'Throttles',
    description:
      'Turns refused because Bedrock throttled the model, or the user sent too fast (RATE_LIMITED).',
    unit: 'count',
    report: (view) => {
      const codes = [...THROTTLE_ERROR_CODES];
      return {
        values: codes.map((code) => ({ label: code, value: get(view.total, `${KEYED.error}${code}`) })),
        series: codes.map((code) => ({
          label: code,
          values: perHour(view, (c) => get(c, `${KEYED.error}${code}`)),
        })),
      };
    },
    cloudwatch: {
      lines: [
        ...[...THROTTLE_ERROR_CODES].map((code) => ({
          id: code === 'MODEL_THROTTLED' ? 'model' : 'user',
          metric: METRICS.errors,
          stat: 'Sum' as const,
          label: code,
          dimensions: { code },
        })),
        {
          id: 'lambda',
          aws: { namespace: 'AWS/Lambda', name: 'Throttles', function: 'sendMessage' },
          stat: 'Sum',
          label: 'Lambda sendMessage',
        },
        {
          id: 'dynamodbWrite',
          aws: { namespace: 'AWS/DynamoDB', name: 'WriteThrottleEvents' },
          stat: 'Sum',
          label: 'DynamoDB writes',
        },
        {
          id: 'dynamodbRead',
          aws: { namespace: 'AWS/DynamoDB', name: 'ReadThrottleEvents' },
          stat: 'Sum',
          label: 'DynamoDB reads',
        },
      ],
      note: 'Lambda and DynamoDB throttles exist only on AWS (offline nothing throttles).',
    },
  },
];

/** Every figure over the view, as the `stats` frame carries them. */
export function reportFigures(view: StatsView): FigureReport[] {
  return FIGURES.map(({ id, title, description, unit, report }) => ({
    id,
    title,
    description,
    unit,
    ...report(view),
  }));
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const percent = (part: number, whole: number) => {
  const share = ratio(part, whole);
  return share === null ? null : share * 100;
};
const nullableUsd = (micro: number | null) => (micro === null ? null : round(usd(micro), 6));
const isServerError = (code: string) => SERVER_ERROR_CODES.has(code as never);
