import type { ScriptedPace } from '../../emulator/scripted-response.ts';
import type { StackInfo } from '../../test/support/stack-info.ts';
import { measureSideBySide, warmUp, withEveryDesign } from '../support/design-under-test.ts';
import { ratio, round } from '../support/stats.ts';
import { type TurnFigures, toTurnFigures } from '../support/turn-figures.ts';
import { SHORT_QUESTION } from './handler-overhead.ts';

/** Ours divided by the reference design's: below 1 means ours is faster or makes fewer calls. */
export interface ComparisonRatios {
  firstTokenP50: number | null;
  doneP50: number | null;
  modelCallsPerTurn: number | null;
  pushesPer1000Tokens: number | null;
  dynamodbCallsPerTurn: number | null;
}

export interface ComparisonCase {
  name: string;
  message: string;
  turns: number;
  concurrency: number;
  ours: TurnFigures;
  reference: TurnFigures;
  ratios: ComparisonRatios;
}

export interface ReferenceComparisonResult {
  pace: ScriptedPace;
  cases: ComparisonCase[];
  /**
   * Our time to first token (p50) beyond the model's own first-token time, for the short and the long answer:
   * if coalescing held back the first token, the long answer's would be the later one.
   */
  firstTokenBeyondModelMs: { shortAnswer: number | null; longAnswer: number | null };
}

export interface ComparisonOptions {
  pace: ScriptedPace;
  turns: number;
  concurrency: number;
  longAnswerTokens: number;
  longAnswerTurns: number;
  warmupTurns: number;
  blocks: number;
}

/**
 * Section 3: both designs on the same stack and the same scripted model at a realistic pace, every DynamoDB,
 * model and PostToConnection call counted: a short answer, a one-tool answer and a long answer.
 */
export async function compareWithReference(
  stack: StackInfo,
  options: ComparisonOptions,
): Promise<ReferenceComparisonResult> {
  return withEveryDesign({ stack, pace: options.pace, countDynamoDb: true }, async (subjects) => {
    const plan = { label: 'compare', turnsPerSession: 10 };
    const warmup = options.warmupTurns;
    await warmUp(subjects, { ...plan, message: SHORT_QUESTION, turns: warmup, concurrency: warmup });

    const results: ComparisonCase[] = [];
    for (const [index, spec] of comparisonCases(options).entries()) {
      const measured = await measureSideBySide(
        subjects,
        { ...plan, ...spec, label: `compare-${index}` },
        options.blocks,
      );
      if (!measured.ours || !measured.reference) throw new Error('a design was not measured');
      const ours = toTurnFigures(measured.ours);
      const reference = toTurnFigures(measured.reference);
      results.push({ ...spec, ours, reference, ratios: ratiosOf(ours, reference) });
    }
    const beyondModel = (entry: ComparisonCase | undefined) => {
      const p50 = entry?.ours.firstTokenMs.p50;
      return p50 === null || p50 === undefined ? null : round(p50 - options.pace.firstTokenMs);
    };
    return {
      pace: options.pace,
      cases: results,
      firstTokenBeyondModelMs: {
        shortAnswer: beyondModel(results[0]),
        longAnswer: beyondModel(results.at(-1)),
      },
    };
  });
}

/** A short answer, an answer that needs one tool, and a long answer (the last one decides the push count). */
function comparisonCases(options: ComparisonOptions) {
  const { turns, concurrency } = options;
  // Turns of one case take equally long: started together, lanes would reach the model, the first token and
  // DynamoDB in step, timing bursts that real traffic does not make. A third of the first-token time apart.
  const staggerMs = Math.round(options.pace.firstTokenMs / 3);
  return [
    { name: 'short answer, no tool', message: SHORT_QUESTION, turns, concurrency, staggerMs },
    { name: 'one tool (current_time)', message: 'What time is it in Tokyo?', turns, concurrency, staggerMs },
    {
      name: `long answer (${options.longAnswerTokens} tokens)`,
      message: `${SHORT_QUESTION} #tokens:${options.longAnswerTokens}`,
      turns: options.longAnswerTurns,
      concurrency: options.longAnswerTurns,
      staggerMs,
    },
  ];
}

function ratiosOf(ours: TurnFigures, reference: TurnFigures): ComparisonRatios {
  return {
    firstTokenP50: ratio(ours.firstTokenMs.p50, reference.firstTokenMs.p50),
    doneP50: ratio(ours.doneMs.p50, reference.doneMs.p50),
    modelCallsPerTurn: ratio(ours.modelCallsPerTurn, reference.modelCallsPerTurn),
    pushesPer1000Tokens: ratio(ours.pushesPer1000Tokens, reference.pushesPer1000Tokens),
    dynamodbCallsPerTurn: ratio(ours.dynamodbCallsPerTurn, reference.dynamodbCallsPerTurn),
  };
}
