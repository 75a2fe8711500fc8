import { MODE_TITLES, type Mode, type ScenarioResult } from './run-simulation.ts';

/** The simulation's results as a table (Markdown, padded for a terminal), one row per scenario and mode. */
export function formatResults(results: readonly ScenarioResult[]): string {
  const headers = [
    'scenario',
    'mode',
    'sent',
    'completed',
    'stored',
    'lost',
    'duplicated',
    'diverged',
    'LWW drops',
    'failover',
  ];
  const rows = results.map((r) => [
    r.title,
    MODE_TITLES[r.mode],
    String(r.sent),
    String(r.completed),
    String(r.stored),
    String(r.lost),
    String(r.duplicated),
    String(r.diverged),
    dropsOf(r),
    r.failoverMs === undefined ? '–' : `${r.failoverMs} ms`,
  ]);
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Drops with the kinds of item they hit, e.g. `3 (STATE 2, TURN 1)`. */
function dropsOf(result: ScenarioResult): string {
  const kinds = Object.entries(result.lwwDropsByKind ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return kinds.length === 0
    ? String(result.lwwDrops)
    : `${result.lwwDrops} (${kinds.map(([kind, count]) => `${kind} ${count}`).join(', ')})`;
}

/** `N turns, M lost`: the completed answers of one mode and how many of them were lost. */
export function totalsOf(results: readonly ScenarioResult[], mode: Mode): string {
  const ofMode = results.filter((r) => r.mode === mode);
  const completed = ofMode.reduce((sum, r) => sum + r.completed, 0);
  const lost = ofMode.reduce((sum, r) => sum + r.lost, 0);
  return `${completed} turns, ${lost} lost`;
}
