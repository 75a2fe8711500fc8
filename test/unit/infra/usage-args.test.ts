import { describe, expect, it } from 'vitest';
import { parseUsageArgs } from '../../../infra/usage/usage-args.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');

describe('parseUsageArgs', () => {
  it('reads the last 7 days of the offline stack as a table by default', () => {
    expect(parseUsageArgs([], {}, NOW)).toEqual({
      since: NOW - 7 * 86_400_000,
      until: NOW,
      format: 'table',
      stage: 'local',
      region: 'us-east-1',
      tableName: 'bedrock-ws-chat-local',
      endpoint: 'http://127.0.0.1:8000',
      help: false,
    });
  });

  it('takes durations or ISO times, a format, a user and a deployed stage (no endpoint: the AWS default)', () => {
    const args = parseUsageArgs(
      [
        '--since',
        '48h',
        '--until',
        '2026-11-30T11:00:00Z',
        '--format',
        'csv',
        '--user',
        'ana',
        '--stage',
        'prod',
      ],
      { AWS_REGION: 'eu-west-1' },
      NOW,
    );
    expect(args).toMatchObject({
      since: NOW - 48 * 3_600_000,
      until: Date.parse('2026-11-30T11:00:00Z'),
      format: 'csv',
      userId: 'ana',
      stage: 'prod',
      region: 'eu-west-1',
      tableName: 'bedrock-ws-chat-prod',
    });
    expect(args.endpoint).toBeUndefined();
  });

  it('says in one line what is wrong with a bad option', () => {
    expect(() => parseUsageArgs(['--format', 'xml'], {}, NOW)).toThrow('--format must be table, csv or json');
    expect(() => parseUsageArgs(['--since', 'last week'], {}, NOW)).toThrow(/--since must be a duration/);
    expect(() => parseUsageArgs(['--since', '1h', '--until', '2h'], {}, NOW)).toThrow(
      '--since must be before --until',
    );
    expect(() => parseUsageArgs(['--nope'], {}, NOW)).toThrow(/nope/);
  });
});
