import { createBedrockAgentRuntimeClient, createBedrockRuntimeClient } from '../adapters/bedrock/clients.ts';
import { createBedrockKnowledgeBase } from '../adapters/bedrock/knowledge-base.ts';
import { createBedrockModelClient } from '../adapters/bedrock/model-client.ts';
import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import { createDynamoDbRateLimiter } from '../adapters/dynamodb/rate-limiter.ts';
import { createDynamoDbResourceCatalog } from '../adapters/dynamodb/resource-catalog.ts';
import { createDynamoDbSessionStore } from '../adapters/dynamodb/session-store.ts';
import { createDynamoDbStopRequests } from '../adapters/dynamodb/stop-requests.ts';
import { createDynamoDbUsageLedger } from '../adapters/dynamodb/usage-ledger.ts';
import {
  type Clock,
  type ResourceCatalog,
  type SessionStore,
  type StopRequests,
  systemClock,
  type UsageLedger,
} from '../chat/ports.ts';
import type { TurnDependencies } from '../chat/stream-turn.ts';
import { createCurrentTimeTool } from '../chat/tools/current-time.ts';
import { createKbLookupTool } from '../chat/tools/kb-lookup.ts';
import { createLookupResourceTool } from '../chat/tools/lookup-resource.ts';
import { createToolRegistry, type Tool } from '../chat/tools/registry.ts';
import type { ChatConfig } from '../config.ts';

/*
 * The composition root for the chat's adapters. Handlers call these at module scope, so SDK clients are built
 * once per container and reused by warm invocations. Each factory pulls in only the SDK clients it uses,
 * which keeps the other handlers' bundles small.
 */

/** Session storage, stop requests and usage totals: all the `getHistory`, `cancel` and `getUsage` routes need. */
export function createSessionDependencies(config: ChatConfig): {
  sessions: SessionStore;
  stopRequests: StopRequests;
  usage: UsageLedger;
} {
  const client = createDocumentClient({ region: config.region, endpoint: config.endpoints.dynamodb });
  return {
    sessions: createDynamoDbSessionStore({ client, tableName: config.tableName }),
    stopRequests: createDynamoDbStopRequests({ client, tableName: config.tableName }),
    usage: createDynamoDbUsageLedger({ client, tableName: config.tableName }),
  };
}

/**
 * Everything a turn needs but the push client. `resources` replaces the DynamoDB resource catalogue (the
 * fixture recorder runs the engine with no table); handlers leave it out.
 */
export function createTurnDependencies(
  config: ChatConfig,
  clock: Clock = systemClock,
  resources?: ResourceCatalog,
): Omit<TurnDependencies, 'push'> {
  const documentClient = createDocumentClient({ region: config.region, endpoint: config.endpoints.dynamodb });
  const tools: Tool[] = [
    createCurrentTimeTool(clock),
    createLookupResourceTool(
      resources ?? createDynamoDbResourceCatalog({ client: documentClient, tableName: config.tableName }),
    ),
  ];
  if (config.knowledgeBaseId) {
    const client = createBedrockAgentRuntimeClient({
      region: config.region,
      endpoint: config.endpoints.bedrockAgent,
    });
    tools.unshift(
      createKbLookupTool(createBedrockKnowledgeBase({ client, knowledgeBaseId: config.knowledgeBaseId })),
    );
  }
  return {
    sessions: createDynamoDbSessionStore({ client: documentClient, tableName: config.tableName }),
    stopRequests: createDynamoDbStopRequests({ client: documentClient, tableName: config.tableName }),
    usage: createDynamoDbUsageLedger({ client: documentClient, tableName: config.tableName }),
    rateLimiter: createDynamoDbRateLimiter({
      client: documentClient,
      tableName: config.tableName,
      limitPerMinute: config.rateLimitPerMinute,
      clock,
    }),
    model: createBedrockModelClient({
      client: createBedrockRuntimeClient({ region: config.region, endpoint: config.endpoints.bedrock }),
      modelId: config.modelId,
      systemPrompt: config.systemPrompt,
      maxTokens: config.maxOutputTokens,
    }),
    tools: createToolRegistry(tools),
    clock,
    settings: config.turn,
  };
}
