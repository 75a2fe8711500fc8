import type { MemoriesFrame } from '../../protocol/server-frame.ts';
import { ANONYMOUS_USER, type MemoryStore } from '../ports.ts';
import type { MemorySettings } from './memory-settings.ts';

export interface ManageMemoriesDependencies {
  memories: MemoryStore;
  settings: MemorySettings;
}

/** `listMemories`: every memory of the user (ANONYMOUS_USER when auth is off). */
export async function listMemories(
  deps: ManageMemoriesDependencies,
  request: { userId?: string },
): Promise<MemoriesFrame> {
  const memories = await deps.memories.list(request.userId ?? ANONYMOUS_USER);
  return { type: 'memories', sessionId: null, memories, max: deps.settings.maxMemories };
}

/**
 * `deleteMemory`: deletes one of the user's memories (or all of them without a `memoryId`) from storage at
 * once, then answers with what is left. Deleting a memory that is not there (twice, or not theirs) changes
 * nothing: a user can only ever address their own memories.
 */
export async function deleteMemory(
  deps: ManageMemoriesDependencies,
  request: { userId?: string; memoryId?: string },
): Promise<MemoriesFrame> {
  const userId = request.userId ?? ANONYMOUS_USER;
  if (request.memoryId === undefined) await deps.memories.clear(userId);
  else await deps.memories.remove(userId, request.memoryId);
  return listMemories(deps, request);
}
