import { INTERRUPTED_STOP_REASONS } from '../protocol/stop-reasons.ts';
import { type Message, type TokenUsage, trimTrailingWhitespace } from './messages.ts';
import type { LastTurn, UsageTotals } from './ports.ts';
import { costMicroUsd, type PriceTable } from './pricing.ts';
import type { ToolLoopResult } from './tool-loop.ts';
import { countTurnTokens } from './turn-tokens.ts';

/** What one run of the model loop adds to a session, and to its owner's usage. */
export interface TurnRecord {
  /** Messages to append: for a new turn the user's message first, then what the model and tools added. */
  messages: Message[];
  usage: TokenUsage;
  /** The run's estimated model cost, in micro-dollars; computed once, here. */
  costMicroUsd: number;
  lastTurn: LastTurn;
  /** False when the record continues the last turn (a resumed answer) rather than adding one. */
  isNewTurn: boolean;
}

/**
 * Builds the record of a run from the loop's result and the last frame seq it used. A function, so it can be
 * re-applied on top of a reloaded session after a write conflict.
 */
export type TurnRecorder = (result: ToolLoopResult, lastSeq: number) => TurnRecord;

/** A new turn: the user's question, then the answer. */
export function recordNewTurn(turnId: string, question: Message, prices: PriceTable): TurnRecorder {
  return (result, lastSeq) => {
    const tokens = countTurnTokens(question, result.context);
    const counted = tokens === undefined ? question : { ...question, tokens };
    return buildRecord(turnId, [counted], result, lastSeq, prices, true);
  };
}

/** A resumed answer: the rest of the answer, merged into the partial one it continues. */
export function recordContinuation(turnId: string, prices: PriceTable): TurnRecorder {
  return (result, lastSeq) => buildRecord(turnId, [], result, lastSeq, prices, false);
}

/** The record's contribution to its owner's usage totals. */
export function usageDeltaOf(record: TurnRecord): UsageTotals {
  return { turns: record.isNewTurn ? 1 : 0, ...record.usage, costMicroUsd: record.costMicroUsd };
}

function buildRecord(
  turnId: string,
  before: Message[],
  result: ToolLoopResult,
  lastSeq: number,
  prices: PriceTable,
  isNewTurn: boolean,
): TurnRecord {
  return {
    messages: [...before, ...answerToRecord(result)],
    usage: result.usage,
    costMicroUsd: costMicroUsd(result.usage, prices),
    lastTurn: { turnId, stopReason: result.stopReason, lastSeq },
    isNewTurn,
  };
}

/**
 * The loop's messages as stored. An interrupted answer loses trailing whitespace: Bedrock rejects an
 * assistant message that ends in whitespace as the last message, which is how `resume` continues it.
 */
function answerToRecord(result: ToolLoopResult): Message[] {
  return INTERRUPTED_STOP_REASONS.has(result.stopReason)
    ? trimTrailingWhitespace(result.messages)
    : result.messages;
}
