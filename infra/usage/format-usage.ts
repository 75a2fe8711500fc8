import type { FigureReport, StatsFrame } from '../../src/protocol/server-frame.ts';
import type { UsageFormat } from './usage-args.ts';

/** The stats frame as `npm run usage` prints it. */
export function formatUsage(frame: StatsFrame, format: UsageFormat): string {
  if (format === 'json') return `${JSON.stringify(frame, null, 2)}\n`;
  if (format === 'csv') return toCsv(frame);
  return toTable(frame);
}

/** One row per hour; a column per line of every figure with a series (`figure.line`). */
function toCsv(frame: StatsFrame): string {
  const columns = frame.figures.flatMap((figure) =>
    (figure.series ?? []).map((line) => ({ name: `${figure.id}.${line.label}`, values: line.values })),
  );
  const rows = [['hour', ...columns.map((column) => column.name)]];
  frame.hours.forEach((hour, i) => {
    rows.push([new Date(hour).toISOString(), ...columns.map((column) => String(column.values[i] ?? ''))]);
  });
  return `${rows.map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function toTable(frame: StatsFrame): string {
  const lines = [
    `Usage from ${frame.since} to ${frame.until}${frame.userId ? ` for ${frame.userId}` : ''}`,
    '',
  ];
  for (const figure of frame.figures) {
    lines.push(
      `${figure.title.padEnd(28)} ${figure.values.map((v) => `${v.label} ${show(v.value, figure)}`).join(' · ')}`,
    );
    for (const entry of figure.breakdown ?? [])
      lines.push(`  ${entry.key.padEnd(26)} ${show(entry.value, figure)}`);
  }
  return `${lines.join('\n')}\n`;
}

function show(value: number | null, figure: FigureReport): string {
  if (value === null) return '–';
  if (figure.unit === 'usd') return `$${value.toFixed(value < 1 ? 6 : 2)}`;
  if (figure.unit === 'ms') return `${value} ms`;
  return String(value);
}
