import { createBedrockRuntimeClient } from '../adapters/bedrock/clients.ts';
import { createBedrockModelClient } from '../adapters/bedrock/model-client.ts';
import { createDynamoDbFeedbackStore } from '../adapters/dynamodb/feedback-store.ts';
import { createDynamoDbMemoryStore } from '../adapters/dynamodb/memory-store.ts';
import { createDynamoDbRateLimiter } from '../adapters/dynamodb/rate-limiter.ts';
import { createDynamoDbResourceCatalog } from '../adapters/dynamodb/resource-catalog.ts';
import { createDynamoDbSessionDirectory } from '../adapters/dynamodb/session-directory.ts';
import { createDynamoDbSessionStore } from '../adapters/dynamodb/session-store.ts';
import { createDynamoDbTurnStore } from '../adapters/dynamodb/turn-store.ts';
import { createDynamoDbUsageLedger } from '../adapters/dynamodb/usage-ledger.ts';
import { withAttachments } from '../chat/attachment-model.ts';
import type { FeedbackStore, SessionDirectory } from '../chat/conversation-ports.ts';
import {
  type ChatStorage,
  type Clock,
  type MemoryStore,
  type ResourceCatalog,
  systemClock,
} from '../chat/ports.ts';
import { createCurrentTimeTool } from '../chat/tools/current-time.ts';
import { createForgetTool } from '../chat/tools/forget.ts';
import { createKbLookupTool } from '../chat/tools/kb-lookup.ts';
import { createLookupResourceTool } from '../chat/tools/lookup-resource.ts';
import { createToolRegistry, type Tool } from '../chat/tools/registry.ts';
import { createRememberTool } from '../chat/tools/remember.ts';
import type { TurnDependencies } from '../chat/turn.ts';
import type { ChatConfig } from '../config.ts';
import { modelProfileOf } from '../model-profiles.ts';
import { createAttachmentStore } from './attachment-store.ts';
import { type ChatTable, createChatTable } from './chat-table.ts';
import { createLazyKnowledgeBase } from './lazy-knowledge-base.ts';

/*
 * The composition root for the chat's adapters. Handlers call these at module scope, so SDK clients are built
 * once per container and reused by warm invocations. Each factory pulls in only the SDK clients it uses,
 * which keeps the other handlers' bundles small.
 */

/** Everything a turn keeps in DynamoDB; the `getHistory`, `cancel` and `getUsage` routes need only this. */
export function createChatStorage(
  config: ChatConfig,
  clock: Clock = systemClock,
  table: ChatTable = createChatTable(config),
): ChatStorage {
  return {
    sessions: createDynamoDbSessionStore(table),
    turns: createDynamoDbTurnStore({ ...table, region: config.region }),
    usage: createDynamoDbUsageLedger({ ...table, clock }),
    rateLimiter: createDynamoDbRateLimiter({ ...table, limitPerMinute: config.rateLimitPerMinute, clock }),
    resources: createDynamoDbResourceCatalog(table),
    memories: createDynamoDbMemoryStore(table),
  };
}

/** The memory store alone, for the `listMemories` and `deleteMemory` routes. */
export function createMemoryStoreFor(config: ChatConfig): MemoryStore {
  return createDynamoDbMemoryStore(createChatTable(config));
}

/** The chat's storage, plus the list of conversations and feedback (the conversation routes). */
export function createConversationStorage(
  config: ChatConfig,
  table: ChatTable = createChatTable(config),
): ChatStorage & { directory: SessionDirectory; feedback: FeedbackStore } {
  return {
    ...createChatStorage(config, systemClock, table),
    directory: createDynamoDbSessionDirectory(table),
    feedback: createDynamoDbFeedbackStore(table),
  };
}

/** The model and the tools it may call: Bedrock ConverseStream, Knowledge Base Retrieve, clock, catalogue. */
export function createModelAndTools(
  config: ChatConfig,
  clock: Clock,
  stores: { resources: ResourceCatalog; memories: MemoryStore },
): Pick<TurnDependencies, 'model' | 'tools'> {
  const tools: Tool[] = [
    createCurrentTimeTool(clock),
    createLookupResourceTool(stores.resources),
    createRememberTool({ memories: stores.memories, clock, settings: config.turn.memory }),
    createForgetTool(stores.memories),
  ];
  const { knowledgeBaseId } = config;
  if (knowledgeBaseId) {
    const location = { region: config.region, endpoint: config.endpoints.bedrockAgent };
    // Loaded on the first kb_lookup, not at cold start (lazy-knowledge-base.ts).
    const knowledgeBase = createLazyKnowledgeBase(async () => {
      const { createBedrockAgentRuntimeClient, createBedrockKnowledgeBase } = await import(
        '../adapters/bedrock/knowledge-base.ts'
      );
      return createBedrockKnowledgeBase({
        client: createBedrockAgentRuntimeClient(location),
        knowledgeBaseId,
      });
    });
    tools.unshift(createKbLookupTool(knowledgeBase, config.retrieval));
  }
  return {
    model: createBedrockModelClient({
      client: createBedrockRuntimeClient({ region: config.region, endpoint: config.endpoints.bedrock }),
      modelId: config.modelId,
      systemPrompt: config.systemPrompt,
      maxTokens: config.maxOutputTokens,
      cacheMinTokens: modelProfileOf(config.modelId).cacheMinTokens,
    }),
    tools: createToolRegistry(tools),
  };
}

/** Everything a turn needs; the reply comes with each request. */
export function createTurnDependencies(
  config: ChatConfig,
  clock: Clock = systemClock,
  table: ChatTable = createChatTable(config),
): TurnDependencies {
  const { resources, ...storage } = createChatStorage(config, clock, table);
  const { model, tools } = createModelAndTools(config, clock, { resources, memories: storage.memories });
  const attachments = createAttachmentStore(config, clock);
  const titles = createDynamoDbSessionDirectory(table);
  // Stored questions name their files; the model gets their bytes (on resume too).
  return attachments
    ? {
        ...storage,
        model: withAttachments(model, attachments),
        tools,
        attachments,
        titles,
        clock,
        settings: config.turn,
      }
    : { ...storage, model, tools, titles, clock, settings: config.turn };
}
