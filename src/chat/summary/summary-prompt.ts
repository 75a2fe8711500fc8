import type { ConversationSummary } from '../ports.ts';

/** Opens the system block that carries the rolling summary; the scripted model looks for it (docs/emulator.md). */
export const SUMMARY_PROMPT_HEADING = 'Summary of earlier turns of this conversation';

/** The system block of a conversation's summary, or undefined when nothing was folded yet. */
export function summaryPromptOf(summary: ConversationSummary | undefined): string | undefined {
  if (!summary || summary.text.trim() === '') return undefined;
  return `${SUMMARY_PROMPT_HEADING} (${summary.turns} turns, no longer shown as messages):\n${summary.text}`;
}

/**
 * The request that asks the model to fold the first `turns` exchanges into the summary. It is sent after the
 * conversation itself, so the call reads the same cached prefix as the turn did and pays only for the rest.
 */
export function summaryInstruction(turns: number): string {
  return [
    `Summarize the conversation for your own memory: fold the first ${turns} exchanges above into the summary`,
    `(add to "${SUMMARY_PROMPT_HEADING}" if there is one, keeping its lines). Keep every name, number and`,
    'decision, and what the user told you about themselves. Answer only with the summary, one fact per line,',
    'each line starting with "- ". Call no tools.',
  ].join(' ');
}

/** The summary as kept: `- ` lines only, the newest kept when it is longer than `maxChars`. */
export function normalizeSummary(text: string, maxChars: number): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('- ') && line.length > 2);
  const kept: string[] = [];
  let length = 0;
  for (const line of lines.reverse()) {
    if (length + line.length + 1 > maxChars) break;
    kept.unshift(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}
