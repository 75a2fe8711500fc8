import { MemoryFullError } from '../../chat/errors.ts';
import type { Memory, MemoryStore } from '../../chat/ports.ts';

/** Per-user memories in a Map, with the DynamoDB store's cap; for unit tests, the recorder and benchmarks. */
export function createInMemoryMemoryStore(): MemoryStore {
  const byUser = new Map<string, Map<string, Memory>>();
  const of = (userId: string) => byUser.get(userId) ?? new Map<string, Memory>();
  return {
    list: async (userId) =>
      [...of(userId).values()]
        .map((memory) => ({ ...memory }))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.memoryId.localeCompare(b.memoryId)),
    async add(userId, memory, cap) {
      const memories = of(userId);
      if (memories.size >= cap) throw new MemoryFullError(cap);
      memories.set(memory.memoryId, { ...memory });
      byUser.set(userId, memories);
    },
    async remove(userId, memoryId) {
      of(userId).delete(memoryId);
    },
    async clear(userId) {
      byUser.delete(userId);
    },
  };
}
