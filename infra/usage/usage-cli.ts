/**
 * `npm run usage`: the usage figures of a range from the stats ledger, as a table, CSV or JSON; against the
 * offline stack's DynamoDB Local (default) or a deployed stage's table (with your AWS credentials).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbStatsLedger } from '../../src/adapters/dynamodb/stats-ledger.ts';
import { statsFrameOf } from '../../src/analytics/read-stats.ts';
import { MAX_STATS_RANGE_MS } from '../../src/protocol/client-frame.ts';
import { formatUsage } from './format-usage.ts';
import { parseUsageArgs, USAGE_HELP } from './usage-args.ts';

try {
  const args = parseUsageArgs(process.argv.slice(2), process.env, Date.now());
  if (args.help) {
    console.log(USAGE_HELP);
    process.exit(0);
  }
  if (args.until - args.since > MAX_STATS_RANGE_MS) throw new Error('The range is at most 31 days.');
  const client = new DynamoDBClient({
    region: args.region,
    ...(args.endpoint
      ? { endpoint: args.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  // The ledger only reads here; retention matters to writes.
  const stats = createDynamoDbStatsLedger({
    client: DynamoDBDocumentClient.from(client),
    tableName: args.tableName,
    retentionDays: 1,
  });
  const frame = await statsFrameOf(stats, { since: args.since, until: args.until, userId: args.userId });
  process.stdout.write(formatUsage(frame, args.format));
  client.destroy();
} catch (error) {
  const cause = (error as { cause?: Error }).cause;
  console.error(`npm run usage: ${(error as Error).message}${cause ? ` (${cause.message})` : ''}`);
  console.error(USAGE_HELP);
  process.exit(1);
}
