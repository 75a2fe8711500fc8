import { readSessionItem } from '../../test/support/sessions.ts';
import type { StackInfo } from '../../test/support/stack-info.ts';
import {
  runSocketLanes,
  type SocketFigures,
  type SocketLane,
  toSocketFigures,
} from '../support/socket-lanes.ts';
import { SHORT_QUESTION } from './handler-overhead.ts';

export interface ScaleLevel extends SocketFigures {
  sockets: number;
  measuredMs: number;
  /** Turns that ended with `done`, warm-up included. */
  completed: number;
  /** Turns the sessions in DynamoDB say were recorded. */
  stored: number;
  /** Completed turns missing from the store (a lost write): must be 0. */
  lost: number;
  /** Sessions whose `version` differs from their `turns` (a write that skipped or repeated one): must be 0. */
  versionMismatches: number;
}

/**
 * Section 5: sockets sending turns back to back through the offline stack for a bounded time, at rising
 * concurrency; then every session is read back to prove no completed turn was lost.
 */
export async function measureScale(
  stack: StackInfo,
  options: { sockets: number[]; durationMs: number; warmupTurns: number },
): Promise<{ durationMs: number; levels: ScaleLevel[] }> {
  const levels: ScaleLevel[] = [];
  for (const sockets of options.sockets) {
    const { lanes, measuredMs } = await runSocketLanes(stack, {
      sockets,
      message: SHORT_QUESTION,
      warmupTurns: options.warmupTurns,
      more: (_, elapsedMs) => elapsedMs < options.durationMs,
      // One session per socket for the whole level, so its turn count can be checked.
      turnsPerSession: Number.POSITIVE_INFINITY,
    });
    levels.push({
      sockets,
      measuredMs: Math.round(measuredMs),
      ...toSocketFigures(
        lanes.flatMap((lane) => lane.turns),
        measuredMs,
      ),
      ...(await checkStoredTurns(stack, lanes)),
    });
  }
  return { durationMs: options.durationMs, levels };
}

async function checkStoredTurns(stack: StackInfo, lanes: SocketLane[]) {
  let completed = 0;
  let stored = 0;
  let lost = 0;
  let versionMismatches = 0;
  for (const lane of lanes) {
    for (const [sessionId, done] of lane.completedBySession) {
      const item = await readSessionItem(stack, sessionId);
      completed += done;
      stored += item?.turns ?? 0;
      lost += Math.max(0, done - (item?.turns ?? 0));
      if (item && item.version !== item.turns) versionMismatches++;
    }
  }
  return { completed, stored, lost, versionMismatches };
}
