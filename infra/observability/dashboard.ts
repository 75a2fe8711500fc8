import type { CloudWatchLine } from '../../src/analytics/cloudwatch-view.ts';
import { FIGURES } from '../../src/analytics/figures.ts';
import { metricOfLine, PERIOD_SECONDS, searchExpression } from './metric-query.ts';
import { functionName, type StackNames } from './stack-names.ts';

/** The stack's Lambda functions a turn waits on, shown with their AWS metrics. */
export const TURN_FUNCTIONS = ['sendMessage', 'resume'] as const;

type WidgetMetric = Array<string | Record<string, unknown>>;

export interface Widget {
  type: 'metric' | 'text' | 'alarm';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

/** `${AWS::Region}`: the body goes through Fn::Sub, so a dashboard never hard-codes its region. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder, not a template.
const REGION = '${AWS::Region}';

/** One widget line in the dashboard body's array form: namespace, name, dimensions, then options. */
function widgetMetric(line: CloudWatchLine, names: StackNames): WidgetMetric {
  if ('expression' in line) return [{ expression: line.expression, label: line.label, id: line.id }];
  if ('search' in line) return [{ expression: searchExpression(line.search, line.stat), id: line.id }];
  const metric = metricOfLine(line, names);
  if (!metric) throw new Error(`Line ${line.id} names no metric`);
  return [
    metric.namespace,
    metric.name,
    ...Object.entries(metric.dimensions).flat(),
    { id: line.id, stat: line.stat, label: line.label, ...(line.hidden ? { visible: false } : {}) },
  ];
}

/**
 * The dashboard: a note, the alarms' states, one widget per figure that CloudWatch can show (figures.ts), then
 * the turn functions' own AWS metrics. Alarm ARNs are `${Logical.Arn}` references for Fn::Sub.
 */
export function renderDashboard(names: StackNames, alarmLogicalIds: string[]): { widgets: Widget[] } {
  const widgets: Widget[] = [];
  const place = (
    width: number,
    height: number,
    type: Widget['type'],
    properties: Record<string, unknown>,
  ) => {
    const last = widgets[widgets.length - 1];
    const fits = last && last.x + last.width + width <= 24;
    const x = fits ? last.x + last.width : 0;
    const y = last ? (fits ? last.y : last.y + last.height) : 0;
    widgets.push({ type, x, y, width, height, properties });
  };

  const notes = FIGURES.filter((figure) => figure.cloudwatch?.note).map(
    (figure) => `* **${figure.title}**: ${figure.cloudwatch?.note}`,
  );
  place(24, 4, 'text', {
    markdown: [
      '## Chat usage',
      'Each widget is a figure of `src/analytics/figures.ts`, in five-minute periods. The admin page (`/admin`) shows every figure from the stats ledger.',
      ...notes,
    ].join('\n'),
  });
  place(24, 3, 'alarm', {
    title: 'Alarms',
    alarms: alarmLogicalIds.map((id) => `\${${id}.Arn}`),
  });
  for (const figure of FIGURES) {
    if (!figure.cloudwatch) continue;
    place(8, 6, 'metric', {
      title: figure.title,
      region: REGION,
      view: 'timeSeries',
      stacked: figure.cloudwatch.stacked ?? false,
      period: PERIOD_SECONDS,
      metrics: figure.cloudwatch.lines.map((line) => widgetMetric(line, names)),
    });
  }
  for (const key of TURN_FUNCTIONS) {
    const fn = functionName(names, key);
    const timeoutMs = (names.functionTimeouts[key] ?? 28) * 1000;
    place(8, 6, 'metric', {
      title: `${key}: duration against its ${timeoutMs / 1000} s timeout`,
      region: REGION,
      view: 'timeSeries',
      period: PERIOD_SECONDS,
      metrics: [
        ['AWS/Lambda', 'Duration', 'FunctionName', fn, { stat: 'p99', label: 'p99' }],
        ['AWS/Lambda', 'Duration', 'FunctionName', fn, { stat: 'Maximum', label: 'maximum' }],
      ],
      annotations: { horizontal: [{ label: 'timeout', value: timeoutMs }] },
    });
    place(8, 6, 'metric', {
      title: `${key}: invocations, errors, throttles`,
      region: REGION,
      view: 'timeSeries',
      period: PERIOD_SECONDS,
      metrics: ['Invocations', 'Errors', 'Throttles', 'ConcurrentExecutions'].map((name) => [
        'AWS/Lambda',
        name,
        'FunctionName',
        fn,
        { stat: name === 'ConcurrentExecutions' ? 'Maximum' : 'Sum', label: name },
      ]),
    });
  }
  return { widgets };
}
