import { isTurnStart, type Message } from './messages.ts';
import type { ToolLoopResult } from './tool-loop.ts';

/** About four characters a token: the fallback where the model has not counted (older turns, no usage). */
export function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value).length / 4);
}

/**
 * The tokens a new turn adds to the conversation, from the model's own counts: what its last call read and
 * wrote minus what its first call read (the answer, tool calls and results), plus the question's share, which
 * Bedrock does not report apart and is estimated. Undefined when the model reported nothing.
 */
export function countTurnTokens(question: Message, context: ToolLoopResult['context']): number | undefined {
  if (context.lastTotalTokens <= 0) return undefined;
  return Math.max(0, context.lastTotalTokens - context.firstInputTokens) + estimateTokens(question.content);
}

/** One turn's tokens: as counted when it was recorded, else estimated. */
export function turnTokensOf(turn: readonly Message[]): number {
  return turn[0]?.tokens ?? estimateTokens(turn.map((message) => message.content));
}

/** The turns of a window, each from its question to the message before the next one. */
export function splitTurns(messages: readonly Message[]): Message[][] {
  const turns: Message[][] = [];
  for (const message of messages) {
    if (isTurnStart(message) || turns.length === 0) turns.push([message]);
    else turns.at(-1)?.push(message);
  }
  return turns;
}
