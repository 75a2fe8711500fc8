import type { MetricDefinition } from './metrics.ts';

/** A Lambda function of serverless.yml, by its key there; the renderer puts in its deployed name. */
export interface FunctionRef {
  function: string;
}

export type CloudWatchStat = 'Sum' | 'Average' | 'Maximum' | 'SampleCount' | 'p50' | 'p95' | 'p99';

/**
 * One line of a dashboard widget. `metric`: one of ours (namespace METRICS_NAMESPACE, `service` plus the
 * dimension values given); `search`: one of ours for every value of its extra dimension (each tool, each
 * code); `aws`: a metric AWS publishes for a function or the table; `expression`: metric math over the
 * widget's other lines, by id.
 */
export type CloudWatchLine =
  | {
      id: string;
      metric: MetricDefinition;
      stat: CloudWatchStat;
      label: string;
      dimensions?: Record<string, string | FunctionRef>;
      /** Only an input of an expression. */
      hidden?: boolean;
    }
  | { id: string; search: MetricDefinition; stat: CloudWatchStat }
  | {
      id: string;
      aws:
        | { namespace: 'AWS/Lambda'; name: string; function: string }
        | { namespace: 'AWS/DynamoDB'; name: string };
      stat: CloudWatchStat;
      label: string;
      hidden?: boolean;
    }
  | { id: string; expression: string; label: string };

/** How a figure shows on the CloudWatch dashboard. */
export interface CloudWatchView {
  lines: CloudWatchLine[];
  stacked?: boolean;
  /** What the dashboard cannot show that the admin page does, and why. */
  note?: string;
}
