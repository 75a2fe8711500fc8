import * as z from 'zod/mini';
import { MemoryFullError, ToolError } from '../errors.ts';
import type { MemorySettings } from '../memory/memory-settings.ts';
import { normalizeMemoryText } from '../memory/memory-text.ts';
import type { Clock, MemoryStore } from '../ports.ts';
import type { Tool } from './registry.ts';

/** `remember`: saves a short statement about the user for every later conversation. */
export function createRememberTool(options: {
  memories: MemoryStore;
  clock: Clock;
  settings: MemorySettings;
  newId?: () => string;
}): Tool<{ statement: string }> {
  const { memories, clock, settings } = options;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const input = z.object({
    statement: z
      .string()
      .check(
        z.trim(),
        z.minLength(1),
        z.maxLength(settings.maxChars),
        z.describe('One short fact in the user\'s words, e.g. "My favourite colour is teal".'),
      ),
  });
  return {
    name: 'remember',
    description:
      'Save a short fact about the user (a preference, a name, a decision) so you know it in every later ' +
      'conversation. Only when the user asks you to remember something.',
    input,
    status: 'Saving to memory…',
    async run({ statement }, _signal, { userId }) {
      const text = normalizeMemoryText(statement);
      const known = (await memories.list(userId)).find(
        (memory) => memory.text.toLowerCase() === text.toLowerCase(),
      );
      if (known) return { remembered: known.text, memoryId: known.memoryId, alreadyKnown: true };
      const memory = { memoryId: newId(), text, createdAt: new Date(clock.now()).toISOString() };
      try {
        await memories.add(userId, memory, settings.maxMemories);
      } catch (error) {
        if (error instanceof MemoryFullError)
          throw new ToolError(
            `Memory is full (${error.cap} facts). Ask the user to delete some in the memory panel first.`,
          );
        throw error;
      }
      return { remembered: memory.text, memoryId: memory.memoryId, alreadyKnown: false };
    },
  };
}
