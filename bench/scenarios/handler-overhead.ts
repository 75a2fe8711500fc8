import type { StackInfo } from '../../test/support/stack-info.ts';
import { type Design, measureSideBySide, warmUp, withEveryDesign } from '../support/design-under-test.ts';
import { type TurnFigures, toTurnFigures } from '../support/turn-figures.ts';

export interface OverheadRow extends TurnFigures {
  design: Design;
  concurrency: number;
}

export interface HandlerOverheadResult {
  /** The scripted model answers at once: what is left is the handler, DynamoDB Local and the fakes. */
  modelLatencyMs: 0;
  message: string;
  rows: OverheadRow[];
}

export const SHORT_QUESTION = 'Tell me something';

/**
 * Section 1: the sendMessage handler called directly in a warm process (no serverless-offline), against DynamoDB
 * Local and the emulator at zero model latency; the reference design alongside. DynamoDB is reached directly
 * here (no counting proxy), so its extra hop stays out of the latency.
 */
export async function measureHandlerOverhead(
  stack: StackInfo,
  options: { turns: number; concurrencies: number[]; warmupTurns: number; blocks: number },
): Promise<HandlerOverheadResult> {
  const pace = { firstTokenMs: 0, tokenMs: 0 };
  return withEveryDesign({ stack, pace, countDynamoDb: false }, async (subjects) => {
    const plan = { label: 'overhead', message: SHORT_QUESTION, turnsPerSession: 10 };
    await warmUp(subjects, { ...plan, turns: options.warmupTurns, concurrency: 1 });

    const rows: OverheadRow[] = [];
    for (const concurrency of options.concurrencies) {
      const measured = await measureSideBySide(
        subjects,
        { ...plan, label: `overhead-c${concurrency}`, turns: options.turns, concurrency },
        options.blocks,
      );
      for (const [design, measurement] of Object.entries(measured)) {
        rows.push({ design: design as Design, concurrency, ...toTurnFigures(measurement) });
      }
    }
    return { modelLatencyMs: 0, message: SHORT_QUESTION, rows };
  });
}
