import type { StackInfo } from '../../test/support/stack-info.ts';
import { runSocketLanes, type SocketFigures, toSocketFigures } from '../support/socket-lanes.ts';
import { SHORT_QUESTION } from './handler-overhead.ts';

export interface OfflineLatencyRow extends SocketFigures {
  concurrency: number;
}

/**
 * Section 2: the same short turn over real WebSockets through serverless-offline (handlers in its worker
 * threads, frames through its @connections endpoint), from the client's send to the first token frame.
 */
export async function measureOfflineLatency(
  stack: StackInfo,
  options: { turns: number; concurrencies: number[]; warmupTurns: number },
): Promise<{ rows: OfflineLatencyRow[] }> {
  const rows: OfflineLatencyRow[] = [];
  for (const concurrency of options.concurrencies) {
    const perSocket = Math.ceil(options.turns / concurrency);
    const { lanes, measuredMs } = await runSocketLanes(stack, {
      sockets: concurrency,
      message: SHORT_QUESTION,
      warmupTurns: options.warmupTurns,
      more: (laneTurns) => laneTurns < perSocket,
      turnsPerSession: 10,
    });
    rows.push({
      concurrency,
      ...toSocketFigures(
        lanes.flatMap((lane) => lane.turns),
        measuredMs,
      ),
    });
  }
  return { rows };
}
