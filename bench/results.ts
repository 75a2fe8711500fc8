import type { BenchOptions } from './options.ts';
import type { ColdStartResult } from './scenarios/cold-start.ts';
import type { EmulatorFirstEventResult } from './scenarios/emulator-first-event.ts';
import type { HandlerOverheadResult } from './scenarios/handler-overhead.ts';
import type { LongConversationResult } from './scenarios/long-conversation.ts';
import type { OfflineLatencyRow } from './scenarios/offline-latency.ts';
import type { ReferenceComparisonResult } from './scenarios/reference-comparison.ts';
import type { ScaleLevel } from './scenarios/scale.ts';
import type { StopLatencyResult } from './scenarios/stop-latency.ts';
import type { WindowGrowthRow } from './scenarios/window-growth.ts';
import type { Machine } from './support/machine.ts';

/** A figure the issue asks for, what it should reach, and what this run measured. */
export interface Target {
  figure: string;
  goal: string;
  measured: string;
  /** Null when the section was not run. */
  met: boolean | null;
}

/** bench/results/latest.json. A section is absent only when `--only` left it out. */
export interface BenchResults {
  format: 'bench-results';
  version: 1;
  meta: {
    startedAt: string;
    finishedAt: string;
    durationS: number;
    mode: BenchOptions['mode'];
    machine: Machine;
    loadAverageAtEnd: number;
    options: BenchOptions;
  };
  targets: Target[];
  handlerOverhead?: HandlerOverheadResult;
  comparison?: ReferenceComparisonResult;
  offline?: { rows: OfflineLatencyRow[] };
  coldStart?: ColdStartResult;
  scale?: { durationMs: number; levels: ScaleLevel[]; windowGrowth: WindowGrowthRow[] };
  emulator?: EmulatorFirstEventResult;
  stop?: StopLatencyResult;
  conversation?: LongConversationResult;
}
