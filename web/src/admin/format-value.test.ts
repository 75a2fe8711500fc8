import { describe, expect, it } from 'vitest';
import { formatValue } from './format-value.ts';

describe('formatValue', () => {
  it.each([
    [null, 'count', '–'],
    [1234, 'count', '1,234'],
    [850.4, 'ms', '850 ms'],
    [1234, 'ms', '1.2 s'],
    [0.0042, 'usd', '$0.0042'],
    [12.345, 'usd', '$12.35'],
    [0, 'usd', '$0'],
    [12.54, 'percent', '12.5%'],
    [3.25, 'minutes', '3.3 min'],
    [12_345, 'tokens', '12.3K'],
    [812, 'tokens', '812'],
    [2.5, 'turns', '2.5'],
  ] as const)('shows %s %s as %s', (value, unit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });
});
