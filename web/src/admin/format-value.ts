import type { FigureUnit } from '../../../src/protocol/server-frame.ts';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A figure's number as people read it: 1,234 · 850 ms · 1.2 s · $0.0042 · 12.5% · 3.2 min · 12.3K. */
export function formatValue(value: number | null, unit: FigureUnit): string {
  if (value === null) return '–';
  switch (unit) {
    case 'ms':
      return value < 1_000 ? `${integer.format(value)} ms` : `${decimal.format(value / 1_000)} s`;
    case 'usd':
      return value === 0
        ? '$0'
        : value < 0.01
          ? `$${value.toPrecision(2)}`
          : `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    case 'percent':
      return `${decimal.format(value)}%`;
    case 'minutes':
      return `${decimal.format(value)} min`;
    case 'tokens':
      return value >= 10_000 ? compact.format(value) : integer.format(value);
    case 'turns':
      return decimal.format(value);
    default:
      return Number.isInteger(value) ? integer.format(value) : decimal.format(value);
  }
}
