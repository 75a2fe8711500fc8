import type { Memory } from '../ports.ts';
import { memoryPromptOf } from './memory-prompt.ts';

/** The system blocks a conversation adds after the configured prompt: what the model remembers of its user. */
export function systemBlocksOf(memories: readonly Memory[]): string[] {
  const memoryPrompt = memoryPromptOf(memories);
  return memoryPrompt === undefined ? [] : [memoryPrompt];
}
