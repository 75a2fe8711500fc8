import type { ChatStorage, Clock, Resource } from '../../chat/ports.ts';
import { createInMemoryMemoryStore } from './memory-memory-store.ts';
import { createMemoryRateLimiter } from './memory-rate-limiter.ts';
import { createMemoryResourceCatalog } from './memory-resource-catalog.ts';
import { createMemorySessionStore } from './memory-session-store.ts';
import { createMemoryTurnStore } from './memory-turn-store.ts';
import { createMemoryUsageLedger } from './memory-usage-ledger.ts';

/**
 * All of a turn's storage in memory: for the fixture recorder, benchmarks and tests, never a Lambda. The same
 * contract suite as the DynamoDB adapters (test/support/storage-contract.ts) holds it to their behaviour.
 */
export function createMemoryStorage(options: {
  resources: Resource[];
  rateLimitPerMinute: number;
  clock: Clock;
}): ChatStorage {
  return {
    sessions: createMemorySessionStore(),
    turns: createMemoryTurnStore(),
    usage: createMemoryUsageLedger(),
    rateLimiter: createMemoryRateLimiter(options.rateLimitPerMinute, options.clock),
    resources: createMemoryResourceCatalog(options.resources),
    memories: createInMemoryMemoryStore(),
  };
}
