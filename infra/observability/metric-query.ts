import type { CloudWatchLine } from '../../src/analytics/cloudwatch-view.ts';
import { METRICS_NAMESPACE, type MetricDefinition, SERVICE_DIMENSION } from '../../src/analytics/metrics.ts';
import { functionName, type StackNames } from './stack-names.ts';

/** A CloudWatch metric by namespace, name and dimensions: what both a widget line and an alarm name. */
export interface MetricId {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/** Period of every widget and alarm, in seconds: five minutes (EMF metrics are standard resolution). */
export const PERIOD_SECONDS = 300;

/** The metric one line reads (none for expressions and searches). */
export function metricOfLine(line: CloudWatchLine, names: StackNames): MetricId | undefined {
  if ('metric' in line) {
    const dimensions: Record<string, string> = { [SERVICE_DIMENSION.name]: SERVICE_DIMENSION.value };
    for (const [name, value] of Object.entries(line.dimensions ?? {}))
      dimensions[name] = typeof value === 'string' ? value : functionName(names, value.function);
    return { namespace: METRICS_NAMESPACE, name: line.metric.name, dimensions };
  }
  if ('aws' in line) {
    const { aws } = line;
    return aws.namespace === 'AWS/Lambda'
      ? {
          namespace: aws.namespace,
          name: aws.name,
          dimensions: { FunctionName: functionName(names, aws.function) },
        }
      : { namespace: aws.namespace, name: aws.name, dimensions: { TableName: names.tableName } };
  }
  return undefined;
}

/** A metric search over every value of a metric's extra dimension (each tool, each error code). */
export function searchExpression(metric: MetricDefinition, stat: string): string {
  const schema = [METRICS_NAMESPACE, SERVICE_DIMENSION.name, ...metric.dimensions].join(',');
  return `SEARCH('{${schema}} MetricName="${metric.name}"', '${stat}', ${PERIOD_SECONDS})`;
}
