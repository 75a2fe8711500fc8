import { MAX_TITLE_CHARS } from '../../protocol/client-frame.ts';
import { completeText } from '../complete-text.ts';
import type { SessionDirectory } from '../conversation-ports.ts';
import { type Message, type TokenUsage, textOf, userText } from '../messages.ts';
import type { ModelClient, StoredSession } from '../ports.ts';
import { costMicroUsd, type PriceTable } from '../pricing.ts';
import { normalizeTitle } from '../rename-session.ts';
import { splitTurns } from '../turn-tokens.ts';

/**
 * The last message of a title call. The conversation comes before it, so the call's last user text (what the
 * emulator and logs know a call by) is this instruction, never a user's question.
 */
export const TITLE_INSTRUCTION =
  'Write a title of at most six words for the conversation above. Answer with the title alone: no quotes, no full stop.';

/** How much of the first answer the title call reads: its start says what the conversation is about. */
const ANSWER_CHARS = 1_500;

export interface TitleSettings {
  /** Output budget of the title call. */
  maxTokens: number;
}

export interface TitleDependencies {
  model: ModelClient;
  titles: Pick<SessionDirectory, 'setTitle'>;
  settings: { titles?: TitleSettings; prices: PriceTable };
}

export interface GeneratedTitle {
  /** Set when the title was stored (the session was still untitled and still its owner's). */
  title?: string;
  usage: TokenUsage;
  costMicroUsd: number;
}

/**
 * Names an untitled session after its first answer: one short model call on the first turn's question and
 * the start of its answer, stored only if the session is still untitled (a rename meanwhile wins). Undefined
 * when there is nothing to do; throws when the call or the write fails (the next turn tries again).
 */
export async function generateTitle(
  deps: TitleDependencies,
  saved: StoredSession,
  signal: AbortSignal,
): Promise<GeneratedTitle | undefined> {
  const settings = deps.settings.titles;
  const first = firstExchange(saved.messages);
  if (!settings || saved.title || !first) return undefined;

  const answer = await completeText(
    deps.model,
    {
      messages: [first.question, first.answer, userText(TITLE_INSTRUCTION)],
      tools: [],
      maxTokens: settings.maxTokens,
    },
    signal,
  );
  const result = { usage: answer.usage, costMicroUsd: costMicroUsd(answer.usage, deps.settings.prices) };
  const title = normalizeTitle(answer.text.split('\n')[0] ?? '', MAX_TITLE_CHARS);
  if (title === '') return result;
  const stored = await deps.titles.setTitle(saved.sessionId, saved.ownerId, title, { onlyIfUntitled: true });
  return stored ? { ...result, title } : result;
}

/** The first turn still in the window, as text: the question's words and the start of the answer. */
function firstExchange(messages: readonly Message[]): { question: Message; answer: Message } | undefined {
  const [turn] = splitTurns(messages);
  if (!turn) return undefined;
  const question = textOf(turn[0] as Message).trim();
  const answer = turn
    .filter((message) => message.role === 'assistant')
    .map(textOf)
    .join(' ')
    .trim()
    .slice(0, ANSWER_CHARS);
  if (question === '' || answer === '') return undefined;
  return { question: userText(question), answer: { role: 'assistant', content: [{ text: answer }] } };
}
