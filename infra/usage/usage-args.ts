import { parseArgs } from 'node:util';

export const USAGE_HELP = `npm run usage -- [--since 7d] [--until <time>] [--format table|csv|json] [--user <id>]
                 [--stage local|<name>] [--region <region>] [--endpoint <url>] [--table <name>]

Usage figures from the stats ledger of the offline stack (DynamoDB Local, the default) or a deployed stage.
--since/--until: a duration back from now (90m, 48h, 7d) or an ISO 8601 time; at most 31 days at once.
--format csv: one row per hour, one column per figure line; json: the getStats frame; table: a summary.`;

export type UsageFormat = 'table' | 'csv' | 'json';

export interface UsageArgs {
  since: number;
  until: number;
  format: UsageFormat;
  userId?: string;
  stage: string;
  region: string;
  tableName: string;
  /** DynamoDB Local's URL for the local stage; unset for a deployed one (the SDK default). */
  endpoint?: string;
  help: boolean;
}

/** Reads `npm run usage` options; throws with a one-line message naming what is wrong. */
export function parseUsageArgs(
  argv: string[],
  env: Record<string, string | undefined>,
  now: number,
): UsageArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      since: { type: 'string', default: '7d' },
      until: { type: 'string' },
      format: { type: 'string', default: 'table' },
      user: { type: 'string' },
      stage: { type: 'string', default: 'local' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      table: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const format = values.format as UsageFormat;
  if (!['table', 'csv', 'json'].includes(format)) throw new Error(`--format must be table, csv or json`);
  const stage = values.stage as string;
  const local = stage === 'local';
  const until = values.until === undefined ? now : timeOf(values.until, now, '--until');
  const since = timeOf(values.since as string, now, '--since');
  if (!(since < until)) throw new Error('--since must be before --until');
  return {
    since,
    until,
    format,
    ...(values.user === undefined ? {} : { userId: values.user }),
    stage,
    region: values.region ?? env.AWS_REGION ?? 'us-east-1',
    tableName: values.table ?? `bedrock-ws-chat-${stage}`,
    endpoint: values.endpoint ?? (local ? `http://127.0.0.1:${env.DYNAMODB_LOCAL_PORT ?? 8000}` : undefined),
    help: values.help === true,
  };
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `7d`, `48h`, `90m` back from now, or an ISO 8601 time. */
function timeOf(value: string, now: number, option: string): number {
  const duration = /^(\d+)([mhd])$/.exec(value);
  if (duration) return now - Number(duration[1]) * (UNITS[duration[2] as string] as number);
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`${option} must be a duration (90m, 48h, 7d) or an ISO 8601 time`);
  return time;
}
