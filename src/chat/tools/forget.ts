import * as z from 'zod/mini';
import { ToolError } from '../errors.ts';
import { matchesMemory, normalizeMemoryText } from '../memory/memory-text.ts';
import type { MemoryStore } from '../ports.ts';
import type { Tool } from './registry.ts';

const input = z.object({
  statement: z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(500),
      z.describe('The fact to forget, in the words it was saved with, or "everything".'),
    ),
});

const EVERYTHING = /^(everything|all( of it| memories)?|all you (know|remember)( about me)?)$/i;

/** `forget`: deletes the user's memories that match a statement, or all of them for "everything". */
export function createForgetTool(memories: MemoryStore): Tool<z.infer<typeof input>> {
  return {
    name: 'forget',
    description:
      'Delete facts you remember about the user: the ones matching the statement, or every one for ' +
      '"everything". Only when the user asks you to forget something.',
    input,
    status: 'Updating memory…',
    async run({ statement }, _signal, { userId }) {
      const request = normalizeMemoryText(statement);
      const known = await memories.list(userId);
      if (EVERYTHING.test(request)) {
        await memories.clear(userId);
        return { forgotten: known.map((memory) => memory.text) };
      }
      const matching = known.filter((memory) => matchesMemory(memory.text, request));
      if (matching.length === 0)
        throw new ToolError(
          `Nothing I remember matches "${request}". I remember: ${known.map((m) => `"${m.text}"`).join(', ') || 'nothing'}.`,
        );
      await Promise.all(matching.map((memory) => memories.remove(userId, memory.memoryId)));
      return { forgotten: matching.map((memory) => memory.text) };
    },
  };
}
