import { RESUMABLE_STOP_REASONS } from '../protocol/stop-reasons.ts';
import { type Message, type TokenUsage, trimTrailingWhitespace } from './messages.ts';
import type { LastTurn, UsageTotals } from './ports.ts';
import { costMicroUsd, type PriceTable } from './pricing.ts';
import type { ToolLoopResult } from './tool-loop.ts';
import { truncateAnswer } from './truncate-answer.ts';
import { countTurnTokens } from './turn-tokens.ts';

/** What one run of the model loop adds to a session, and to its owner's usage. */
export interface TurnRecord {
  /** Messages to append: for a new turn the user's message first, then what the model and tools added. */
  messages: Message[];
  usage: TokenUsage;
  /** The run's estimated model cost, in micro-dollars; computed once, here. */
  costMicroUsd: number;
  lastTurn: LastTurn & { runId: string };
  /** False when the record continues the last turn (a resumed answer) rather than adding one. */
  isNewTurn: boolean;
  /**
   * Set when the turn is a new version of an earlier one (regenerate, editMessage): that turn's id. The
   * branch from its active version on is left for this one (branches.ts).
   */
  replaces?: string;
}

/** How a run ended, as far as its record is concerned. */
export interface RunEnding {
  /** The seq of the run's last frame (`done`). */
  lastSeq: number;
  runId: string;
  /**
   * Set when the client froze the answer on Stop: how many characters of the streamed text it showed. The
   * record keeps exactly those, so what is stored is what the person saw.
   */
  keptChars?: number;
}

/**
 * Builds the record of a run from the loop's result and how the run ended. A function, so it can be re-applied
 * on top of a reloaded session after a write conflict.
 */
export type TurnRecorder = (result: ToolLoopResult, ending: RunEnding) => TurnRecord;

/**
 * A new turn: the user's question (carrying its turn id), then the answer. With `replaces`, a new version of
 * that earlier turn, which takes its place in the window.
 */
export function recordNewTurn(
  turnId: string,
  question: Message,
  prices: PriceTable,
  replaces?: string,
): TurnRecorder {
  return (result, ending) => {
    const tokens = countTurnTokens(question, result.context);
    const counted = { ...question, turnId, ...(tokens === undefined ? {} : { tokens }) };
    const record = buildRecord(turnId, [counted], result, ending, prices, true);
    return replaces === undefined ? record : { ...record, replaces };
  };
}

/** A resumed answer: the rest of the answer, merged into the partial one it continues. */
export function recordContinuation(turnId: string, prices: PriceTable): TurnRecorder {
  return (result, ending) => buildRecord(turnId, [], result, ending, prices, false);
}

/** The record's contribution to its owner's usage totals. */
export function usageDeltaOf(record: TurnRecord): UsageTotals {
  return { turns: record.isNewTurn ? 1 : 0, ...record.usage, costMicroUsd: record.costMicroUsd };
}

function buildRecord(
  turnId: string,
  before: Message[],
  result: ToolLoopResult,
  ending: RunEnding,
  prices: PriceTable,
  isNewTurn: boolean,
): TurnRecord {
  return {
    messages: [...before, ...answerToRecord(result, ending.keptChars)],
    usage: result.usage,
    costMicroUsd: costMicroUsd(result.usage, prices),
    lastTurn: { turnId, stopReason: result.stopReason, lastSeq: ending.lastSeq, runId: ending.runId },
    isNewTurn,
  };
}

/**
 * The loop's messages as stored: as far as the client showed them when it froze the answer on Stop, and
 * without trailing whitespace when `resume` may continue them (Bedrock rejects a last assistant message that
 * ends in whitespace, which is how a resume sends it).
 */
function answerToRecord(result: ToolLoopResult, keptChars: number | undefined): Message[] {
  const messages = keptChars === undefined ? result.messages : truncateAnswer(result.messages, keptChars);
  return RESUMABLE_STOP_REASONS.has(result.stopReason) ? trimTrailingWhitespace(messages) : messages;
}
