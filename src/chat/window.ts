import { utf8Length } from '../protocol/utf8-length.ts';
import {
  type ContentBlock,
  isTextBlock,
  isToolResultBlock,
  isToolUseBlock,
  isTurnStart,
  type Message,
  toolResultIdsOf,
  toolUseIdsOf,
} from './messages.ts';
import { turnTokensOf } from './turn-tokens.ts';

/**
 * Makes any stored history acceptable to Bedrock Converse: it starts with a user text message, roles alternate,
 * every toolUse is answered by a toolResult in the very next message and every toolResult answers one.
 * Blocks that break a rule are dropped, never rewritten; adjacent messages of one role are merged.
 */
export function repairWindow(messages: readonly Message[]): Message[] {
  const withoutBlanks = messages.map((message) => ({
    ...message,
    content: message.content.filter((block) =>
      isTextBlock(block) ? block.text.trim() !== '' : belongsTo(block, message.role),
    ),
  }));
  const paired = keepAnsweredToolCalls(withoutBlanks).filter((message) => message.content.length > 0);
  const merged = mergeSameRole(paired);
  const start = merged.findIndex(isTurnStart);
  return start === -1 ? [] : merged.slice(start);
}

/**
 * Keeps the newest whole turns that fit in `maxMessages` and in `maxTokens` (each turn's tokens as the model
 * counted them, turn-tokens.ts). A turn is never split, so a toolUse always keeps its toolResult and the window
 * always opens with the user's own words. A single turn longer than the window is compacted to its question
 * and final answer.
 */
export function trimWindow(
  messages: readonly Message[],
  maxMessages: number,
  maxTokens = Number.POSITIVE_INFINITY,
): Message[] {
  const tokensFrom = tokensFromEachTurn(messages);
  const firstFit = messages.findIndex(
    (message, index) =>
      isTurnStart(message) &&
      messages.length - index <= maxMessages &&
      (tokensFrom.get(index) ?? 0) <= maxTokens,
  );
  if (firstFit !== -1) return messages.slice(firstFit);

  let lastStart = -1;
  messages.forEach((message, index) => {
    if (isTurnStart(message)) lastStart = index;
  });
  if (lastStart === -1) return [];
  return compactTurn(messages.slice(lastStart));
}

/** Only the assistant calls tools and only the user answers them. */
function belongsTo(block: ContentBlock, role: Message['role']): boolean {
  return role === 'assistant' ? !isToolResultBlock(block) : !isToolUseBlock(block);
}

/**
 * Removes toolUse blocks the next message does not answer, and toolResult blocks that answer nothing or answer
 * an id twice. Bedrock requires every call of an assistant message to be answered once by the next message.
 */
function keepAnsweredToolCalls(messages: Message[]): Message[] {
  const unique = messages.map((message) => ({
    ...message,
    content: withoutRepeatedToolIds(message.content),
  }));
  const answered = unique.map((message, index) => {
    if (message.role !== 'assistant') return message;
    const next = unique[index + 1];
    const resultIds = new Set(next?.role === 'user' ? toolResultIdsOf(next) : []);
    const allAnswered = toolUseIdsOf(message).every((id) => resultIds.has(id));
    return allAnswered ? message : { ...message, content: message.content.filter((b) => !isToolUseBlock(b)) };
  });

  return answered.map((message, index) => {
    if (message.role !== 'user') return message;
    const previous = answered[index - 1];
    const askedIds = new Set(previous?.role === 'assistant' ? toolUseIdsOf(previous) : []);
    const content = message.content.filter(
      (block) => !isToolResultBlock(block) || askedIds.has(block.toolResult.toolUseId),
    );
    return { ...message, content };
  });
}

/** Keeps the first toolUse or toolResult block of each id within one message. */
function withoutRepeatedToolIds(content: ContentBlock[]): ContentBlock[] {
  const seen = new Set<string>();
  return content.filter((block) => {
    const id = isToolUseBlock(block)
      ? block.toolUse.toolUseId
      : isToolResultBlock(block)
        ? block.toolResult.toolUseId
        : undefined;
    if (id === undefined) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function mergeSameRole(messages: Message[]): Message[] {
  const merged: Message[] = [];
  for (const message of messages) {
    const last = merged.at(-1);
    if (last?.role === message.role) {
      // Two questions in a row (the first answer said nothing): the answer that follows is the later one's.
      const turnId = message.turnId ?? last.turnId;
      const tokens = last.tokens ?? message.tokens;
      merged[merged.length - 1] = {
        role: last.role,
        content: [...last.content, ...message.content],
        ...(turnId === undefined ? {} : { turnId }),
        ...(tokens === undefined ? {} : { tokens }),
      };
    } else {
      merged.push(message);
    }
  }
  return merged;
}

/** One turn reduced to the question and the final answer's text, for turns too long for the window. */
function compactTurn(turn: Message[]): Message[] {
  const [question] = turn;
  if (!question) return [];
  const answerText: ContentBlock[] = turn
    .filter((message) => message.role === 'assistant')
    .flatMap((message) => message.content.filter(isTextBlock));
  const lastAnswer = answerText.at(-1);
  return [
    { ...question, content: question.content.filter(isTextBlock) },
    { role: 'assistant', content: [lastAnswer ?? { text: '(answer omitted)' }] },
  ];
}

/** For each turn start, the tokens of the turns from there to the end. */
function tokensFromEachTurn(messages: readonly Message[]): Map<number, number> {
  const sums = new Map<number, number>();
  let total = 0;
  let end = messages.length;
  for (let index = messages.length - 1; index >= 0; index--) {
    if (!isTurnStart(messages[index] as Message)) continue;
    total += turnTokensOf(messages.slice(index, end));
    sums.set(index, total);
    end = index;
  }
  return sums;
}

/**
 * Keeps the newest whole turns whose JSON fits in `maxBytes` (UTF-8), so a window of long answers never
 * outgrows the session item. The newest turn is kept whatever its size: each turn is capped on its own.
 */
export function trimWindowToBytes(messages: readonly Message[], maxBytes: number): Message[] {
  let bytes = 2; // the brackets of the list
  let keepFrom = messages.length;
  for (let index = messages.length - 1; index >= 0; index--) {
    bytes += jsonBytes(messages[index] as Message) + 1;
    if (bytes > maxBytes && keepFrom < messages.length) break;
    if (isTurnStart(messages[index] as Message)) keepFrom = index;
  }
  return keepFrom === 0 ? [...messages] : messages.slice(keepFrom);
}

/** The size of a value as JSON, in UTF-8 bytes: what a message costs in the session item and on the wire. */
export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value));
}
