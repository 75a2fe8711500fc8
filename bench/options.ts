import { parseArgs } from 'node:util';
import type { LongConversationOptions } from './scenarios/long-conversation.ts';
import type { ComparisonOptions } from './scenarios/reference-comparison.ts';
import type { StopLatencyOptions } from './scenarios/stop-latency.ts';
import { BENCH_MODEL_ID } from './support/bench-rig.ts';

export const SECTIONS = [
  'coldStart',
  'overhead',
  'comparison',
  'offline',
  'scale',
  'emulator',
  'stop',
  'conversation',
] as const;
export type Section = (typeof SECTIONS)[number];

/** Counts, durations and paces of one run. */
export interface BenchOptions {
  mode: 'full' | 'smoke';
  sections: Section[];
  overhead: { turns: number; concurrencies: number[]; warmupTurns: number; blocks: number };
  comparison: ComparisonOptions;
  offline: { turns: number; concurrencies: number[]; warmupTurns: number };
  coldStart: { loads: number };
  scale: { sockets: number[]; durationMs: number; warmupTurns: number };
  window: { sizes: number[]; turnsPerSize: number };
  emulator: { requests: number; warmup: number };
  stop: StopLatencyOptions;
  conversation: LongConversationOptions;
}

/** `npm run bench`: about four minutes on two cores. */
export const FULL_OPTIONS: BenchOptions = {
  mode: 'full',
  sections: [...SECTIONS],
  overhead: { turns: 500, concurrencies: [1, 16], warmupTurns: 30, blocks: 5 },
  comparison: {
    pace: { firstTokenMs: 300, tokenMs: 15 },
    turns: 24,
    concurrency: 4,
    longAnswerTokens: 1000,
    longAnswerTurns: 3,
    warmupTurns: 2,
    blocks: 3,
  },
  offline: { turns: 500, concurrencies: [1, 16], warmupTurns: 2 },
  coldStart: { loads: 10 },
  scale: { sockets: [1, 8, 32, 64], durationMs: 10_000, warmupTurns: 1 },
  window: { sizes: [0, 10, 20], turnsPerSize: 30 },
  emulator: { requests: 1000, warmup: 100 },
  stop: {
    pace: { firstTokenMs: 300, tokenMs: 15 },
    stops: 30,
    blocks: 3,
    answerTokens: 400,
    maxDelayMs: 1500,
    costTurns: 4,
    costAnswerTokens: 200,
  },
  conversation: {
    pace: { firstTokenMs: 300, tokenMs: 1 },
    turns: 50,
    answerTokens: 250,
    modelIds: [BENCH_MODEL_ID, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
  },
};

/** `npm run bench -- --smoke` and the smoke test: every section runs, with counts too small to mean anything. */
export const SMOKE_OPTIONS: BenchOptions = {
  mode: 'smoke',
  sections: [...SECTIONS],
  overhead: { turns: 4, concurrencies: [1, 2], warmupTurns: 1, blocks: 1 },
  comparison: {
    pace: { firstTokenMs: 5, tokenMs: 1 },
    turns: 2,
    concurrency: 1,
    longAnswerTokens: 40,
    longAnswerTurns: 1,
    warmupTurns: 1,
    blocks: 1,
  },
  offline: { turns: 2, concurrencies: [1, 2], warmupTurns: 1 },
  coldStart: { loads: 1 },
  scale: { sockets: [1, 2], durationMs: 300, warmupTurns: 1 },
  window: { sizes: [0, 10, 20], turnsPerSize: 1 },
  emulator: { requests: 5, warmup: 1 },
  stop: {
    pace: { firstTokenMs: 5, tokenMs: 5 },
    stops: 2,
    blocks: 1,
    answerTokens: 400,
    maxDelayMs: 100,
    costTurns: 1,
    costAnswerTokens: 40,
  },
  // Past the 20-message window, so the summary folds at least once.
  conversation: {
    pace: { firstTokenMs: 5, tokenMs: 0 },
    turns: 12,
    answerTokens: 40,
    modelIds: [BENCH_MODEL_ID],
  },
};

export interface BenchCommand {
  options: BenchOptions;
  /** Where the results JSON goes. */
  out: string;
  /** Where the Markdown report goes, if anywhere. */
  report?: string;
}

export const USAGE = `npm run bench -- [options]
  --smoke              every section with tiny counts (seconds, not minutes); writes to a temp file
  --turns <n>          turns per in-process and offline latency run (default 500)
  --duration <s>       seconds per scale level (default 10)
  --sockets <list>     scale levels, e.g. 1,8,32,64
  --loads <n>          fresh-process loads per handler bundle (default 10)
  --only <list>        sections to run: ${SECTIONS.join(', ')}
  --out <file>         results JSON (default bench/results/latest.json)
  --report <file>      Markdown report (default docs/benchmarks.md for a full run of every section)`;

/** Reads the command line of `npm run bench`. Throws with the usage on anything it does not know. */
export function parseBenchCommand(
  argv: string[],
  defaults: { out: string; report: string; smokeOut: string },
) {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean' },
      turns: { type: 'string' },
      duration: { type: 'string' },
      sockets: { type: 'string' },
      loads: { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
      report: { type: 'string' },
    },
  });
  const base = values.smoke ? SMOKE_OPTIONS : FULL_OPTIONS;
  const turns = positive(values.turns, '--turns');
  const sections = values.only ? list(values.only).map(toSection) : base.sections;
  const options: BenchOptions = {
    ...base,
    sections,
    overhead: { ...base.overhead, turns: turns ?? base.overhead.turns },
    offline: { ...base.offline, turns: turns ?? base.offline.turns },
    coldStart: { loads: positive(values.loads, '--loads') ?? base.coldStart.loads },
    scale: {
      ...base.scale,
      durationMs: (positive(values.duration, '--duration') ?? base.scale.durationMs / 1000) * 1000,
      sockets: values.sockets
        ? list(values.sockets).map((n) => positive(n, '--sockets') as number)
        : base.scale.sockets,
    },
  };
  // Only a complete full run may replace the committed report.
  const complete = !values.smoke && sections.length === SECTIONS.length;
  return {
    options,
    out: values.out ?? (values.smoke ? defaults.smokeOut : defaults.out),
    report: values.report ?? (complete ? defaults.report : undefined),
  } satisfies BenchCommand;
}

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new Error(`${flag} must be a positive number\n\n${USAGE}`);
  return number;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function toSection(name: string): Section {
  if (!(SECTIONS as readonly string[]).includes(name))
    throw new Error(`Unknown section "${name}"\n\n${USAGE}`);
  return name as Section;
}
