import { createMemoryStorage } from '../../../../src/adapters/memory/memory-storage.ts';
import { describeStorageContract } from '../../../support/storage-contract.ts';

describeStorageContract('in-memory storage', ({ clock, rateLimitPerMinute }) =>
  createMemoryStorage({ resources: [], rateLimitPerMinute, clock }),
);
