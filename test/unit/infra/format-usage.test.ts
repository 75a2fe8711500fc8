import { describe, expect, it } from 'vitest';
import { formatUsage } from '../../../infra/usage/format-usage.ts';
import type { StatsFrame } from '../../../src/protocol/server-frame.ts';

const HOUR = Date.parse('2026-11-30T10:00:00Z');

const frame: StatsFrame = {
  type: 'stats',
  sessionId: null,
  since: '2026-11-30T10:00:00.000Z',
  until: '2026-11-30T12:00:00.000Z',
  hours: [HOUR, HOUR + 3_600_000],
  figures: [
    {
      id: 'turns',
      title: 'Turns per hour',
      description: 'd',
      unit: 'count',
      values: [{ label: 'turns', value: 5 }],
      series: [{ label: 'turns', values: [2, 3] }],
    },
    {
      id: 'cost',
      title: 'Estimated model cost',
      description: 'd',
      unit: 'usd',
      values: [{ label: 'total', value: 0.000735 }],
      series: [{ label: 'cost', values: [0.0005, null] }],
      breakdown: [{ key: 'ana, "the admin"', value: 0.000735 }],
    },
  ],
};

describe('formatUsage', () => {
  it('writes CSV: one row per hour, a column per figure line, empty for no value, quoted where needed', () => {
    expect(formatUsage(frame, 'csv')).toBe(
      'hour,turns.turns,cost.cost\n2026-11-30T10:00:00.000Z,2,0.0005\n2026-11-30T11:00:00.000Z,3,\n',
    );
  });

  it('writes JSON that is the getStats frame itself', () => {
    expect(JSON.parse(formatUsage(frame, 'json'))).toEqual(frame);
  });

  it('writes a table: each figure on a line, its breakdown under it', () => {
    const table = formatUsage(frame, 'table').split('\n');
    expect(table[0]).toBe('Usage from 2026-11-30T10:00:00.000Z to 2026-11-30T12:00:00.000Z');
    expect(table).toContain(`${'Turns per hour'.padEnd(28)} turns 5`);
    expect(table).toContain(`${'Estimated model cost'.padEnd(28)} total $0.000735`);
    expect(table).toContain(`  ${'ana, "the admin"'.padEnd(26)} $0.000735`);
  });
});
