import { emulatorOptionsFromEnv } from '../../emulator/config.ts';
import { createEmulator, type Emulator } from '../../emulator/emulator.ts';
import type { ScriptedPace } from '../../emulator/scripted-response.ts';
import { type EmulatorServer, startEmulatorServer } from '../../emulator/server.ts';
import { ROOT } from '../../local/stack.ts';
import type { StackInfo } from '../../test/support/stack-info.ts';
import { type ConnectionsServer, startConnectionsServer } from './connections-server.ts';
import { type CountingProxy, startCountingProxy } from './counting-proxy.ts';

/** The local stack's model: the emulator refuses ids Bedrock would refuse, as Bedrock does. */
export const BENCH_MODEL_ID = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
/** The knowledge base id of the local stage, so the handler registers the same three tools as offline. */
export const BENCH_KNOWLEDGE_BASE_ID = 'LOCALKB001';

/** High enough that the rate limiter never refuses a benchmark turn, while it still runs (and is counted). */
export const UNLIMITED_TURNS_PER_MINUTE = '1000000000';

/**
 * What an in-process handler talks to: the Bedrock emulator's scripted model at a fixed pace, a recording
 * @connections server, and DynamoDB Local, optionally through a counting proxy. Everything listens on
 * 127.0.0.1 and lives on the main thread, apart from the handler's thread.
 */
export interface BenchRig {
  /** The handler's environment: the variables src/config.ts reads, pointed at this rig. */
  env: Record<string, string>;
  emulator: Emulator;
  connections: ConnectionsServer;
  /** Present when DynamoDB calls are counted (the extra loopback hop is kept out of the latency runs). */
  dynamodb?: CountingProxy;
  /** Forgets model calls, frames and DynamoDB counts, between a warm-up and a measured run. */
  reset(): void;
  close(): Promise<void>;
}

export async function startBenchRig(options: {
  stack: StackInfo;
  pace: ScriptedPace;
  countDynamoDb: boolean;
  /** The model the handler calls; BENCH_MODEL_ID unless a section compares models. */
  modelId?: string;
}): Promise<BenchRig> {
  // The scripted model only: a recorded fixture would replay at its own recorded pace.
  const emulator = createEmulator(emulatorOptionsFromEnv(ROOT, {}, { mode: 'scripted', ...options.pace }));
  const emulatorServer: EmulatorServer = await startEmulatorServer({ emulator });
  const connections = await startConnectionsServer();
  const dynamodb = options.countDynamoDb
    ? await startCountingProxy(options.stack.dynamodbEndpoint)
    : undefined;

  return {
    env: {
      AWS_REGION: options.stack.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_SERVICE_NAME: 'chat',
      POWERTOOLS_DEV: 'false',
      CHAT_TABLE_NAME: options.stack.tableName,
      CHAT_MODEL_ID: options.modelId ?? BENCH_MODEL_ID,
      CHAT_KNOWLEDGE_BASE_ID: BENCH_KNOWLEDGE_BASE_ID,
      CHAT_BEDROCK_ENDPOINT: emulatorServer.url,
      CHAT_DYNAMODB_ENDPOINT: dynamodb?.url ?? options.stack.dynamodbEndpoint,
      CHAT_MANAGEMENT_ENDPOINT: connections.url,
      // A benchmark is one user sending far more than a person would: the per-user limit would refuse it.
      CHAT_RATE_LIMIT_PER_MINUTE: UNLIMITED_TURNS_PER_MINUTE,
    },
    emulator,
    connections,
    dynamodb,
    reset() {
      emulator.resetCalls();
      connections.reset();
      dynamodb?.reset();
    },
    async close() {
      await Promise.all([emulatorServer.close(), connections.close(), dynamodb?.close()]);
    },
  };
}
