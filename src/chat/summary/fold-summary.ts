import { VersionConflictError } from '../errors.ts';
import { addUsage, type Message, type TokenUsage, userText, ZERO_USAGE } from '../messages.ts';
import type { ModelClient, ModelRequest, SessionStore, StoredSession } from '../ports.ts';
import { costMicroUsd, type PriceTable } from '../pricing.ts';
import type { WindowSettings } from '../session.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import { splitTurns, turnTokensOf } from '../turn-tokens.ts';
import { repairWindow } from '../window.ts';
import { normalizeSummary, summaryInstruction } from './summary-prompt.ts';

export interface FoldDependencies {
  sessions: SessionStore;
  model: ModelClient;
  tools: ToolRegistry;
  settings: WindowSettings & { prices: PriceTable; saveAttempts: number };
}

/** What a fold did: the session as saved with its new summary, and what the summary call used. */
export interface FoldResult {
  session?: StoredSession;
  usage: TokenUsage;
  costMicroUsd: number;
}

/** The summary call answered without a summary (nothing, or a tool call): the turns stay. */
export class SummaryFailedError extends Error {
  override readonly name = 'SummaryFailedError';
}

/** How many of the oldest turns to fold, or undefined while the window fits its messages and tokens. */
export function turnsToFold(messages: readonly Message[], settings: WindowSettings): number | undefined {
  if (!settings.summary) return undefined;
  const turns = splitTurns(messages);
  const tokens = turns.reduce((sum, turn) => sum + turnTokensOf(turn), 0);
  if (messages.length <= settings.windowMessages && tokens <= (settings.windowTokens ?? Infinity)) {
    return undefined;
  }
  const fold = turns.length - settings.summary.keepTurns;
  return fold > 0 ? fold : undefined;
}

/**
 * Folds the turns that overflow the window into the session's rolling summary: one model call, made after
 * `done` so it never delays an answer, with the turn's own system blocks, tools and messages first (so it
 * reads the prompt cache the turn wrote) and the instruction last. The summary and its usage are saved with
 * a version condition; if another turn wrote first, the fold is applied to that version when the window still
 * opens with the same turns. Any failure throws and leaves the turns where they were.
 */
export async function foldSummary(
  deps: FoldDependencies,
  saved: StoredSession,
  request: Pick<ModelRequest, 'system' | 'cache'>,
  signal: AbortSignal,
): Promise<FoldResult | undefined> {
  const fold = turnsToFold(saved.messages, deps.settings);
  const summarySettings = deps.settings.summary;
  if (fold === undefined || !summarySettings) return undefined;

  const answer = await complete(
    deps.model,
    {
      ...request,
      messages: [...repairWindow(saved.messages), userText(summaryInstruction(fold))],
      tools: deps.tools.specs,
    },
    signal,
  );
  const text = normalizeSummary(answer.text, summarySettings.maxChars);
  const cost = costMicroUsd(answer.usage, deps.settings.prices);
  const result = { usage: answer.usage, costMicroUsd: cost };
  if (text === '') throw new SummaryFailedError('The summary call answered without summary lines.');

  const folded = splitTurns(saved.messages).slice(0, fold);
  let current: StoredSession | undefined = saved;
  for (let attempt = 1; current && attempt <= deps.settings.saveAttempts; attempt++) {
    const turns = splitTurns(current.messages);
    if (!opensWith(turns, folded)) return result;
    const next: StoredSession = {
      ...current,
      version: current.version + 1,
      messages: turns.slice(fold).flat(),
      summary: { text, turns: (current.summary?.turns ?? 0) + fold },
      usage: addUsage(current.usage, answer.usage),
      costMicroUsd: (current.costMicroUsd ?? 0) + cost,
    };
    try {
      await deps.sessions.save(next, current.version);
      return { ...result, session: next };
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      current = await deps.sessions.load(saved.sessionId);
    }
  }
  return result;
}

/** One model call's whole text and usage. */
async function complete(
  model: ModelClient,
  request: ModelRequest,
  signal: AbortSignal,
): Promise<{ text: string; usage: TokenUsage }> {
  let text = '';
  let usage = ZERO_USAGE;
  for await (const event of model.stream(request, signal)) {
    if (event.type === 'text') text += event.text;
    else if (event.type === 'usage') usage = addUsage(usage, event.usage);
    else if (event.type === 'toolUse') throw new SummaryFailedError('The summary call asked for a tool.');
  }
  return { text, usage };
}

function opensWith(turns: Message[][], folded: Message[][]): boolean {
  return folded.every((turn, index) => JSON.stringify(turns[index]) === JSON.stringify(turn));
}
