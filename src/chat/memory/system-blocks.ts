import type { ConversationSummary, Memory } from '../ports.ts';
import { summaryPromptOf } from '../summary/summary-prompt.ts';
import { memoryPromptOf } from './memory-prompt.ts';

/**
 * The system blocks a conversation adds after the configured prompt: what the model remembers of its user,
 * then the summary of the turns that left the window.
 */
export function systemBlocksOf(memories: readonly Memory[], summary?: ConversationSummary): string[] {
  return [memoryPromptOf(memories), summaryPromptOf(summary)].filter((block) => block !== undefined);
}
