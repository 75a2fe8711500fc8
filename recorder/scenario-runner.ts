import { createMemoryConnectionRegistry } from '../src/adapters/memory/memory-connection-registry.ts';
import { createMemoryHandoffQueue } from '../src/adapters/memory/memory-handoff-queue.ts';
import { createMemoryStorage } from '../src/adapters/memory/memory-storage.ts';
import { createBroadcast } from '../src/chat/handoff/broadcast.ts';
import { withHandoffTool } from '../src/chat/handoff/handoff-tool.ts';
import type { Resource } from '../src/chat/ports.ts';
import { runTurn } from '../src/chat/run-turn.ts';
import type { TurnSummary } from '../src/chat/turn.ts';
import { loadConfig } from '../src/config.ts';
import { createModelAndTools } from '../src/lambda/chat-dependencies.ts';
import type { ServerFrame } from '../src/protocol/server-frame.ts';
import type { Scenario } from './scenario.ts';

/** Where a scenario's Bedrock calls go and what they name. */
export interface BedrockTarget {
  region: string;
  modelId: string;
  knowledgeBaseId: string;
  /** Both Bedrock clients' endpoint; absent: AWS itself. */
  endpoint?: string;
}

/**
 * The model and knowledge base of the offline stack (serverless.yml: params.default.modelId and
 * params.local.knowledgeBaseId), so fixtures match what `npm run dev` and the integration tests send.
 */
export const OFFLINE_TARGET: BedrockTarget = {
  region: 'us-east-1',
  modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  knowledgeBaseId: 'LOCALKB001',
};

/**
 * Scenarios run as a signed-in user, as every turn of the deployed chat and of the offline stack (which signs in
 * with the dev issuer) does: such a turn is also offered `handoff_to_human` (CHAT_HANDOFF, on by default).
 */
export const SCENARIO_USER = 'scenario-user';

export interface ScenarioTurnResult {
  message: string;
  summary: TurnSummary;
  /** The frames the engine pushed for this turn. */
  frames: ServerFrame[];
}

/**
 * Runs a scenario's turns, in one session, through the real engine (`runTurn`) with the Lambda's own
 * configuration defaults, tools and Bedrock adapters. Only storage is in memory and the clock is the scenario's,
 * so the requests sent to Bedrock are exactly what the deployed chat would send.
 */
export async function runScenario(
  scenario: Scenario,
  target: BedrockTarget,
  resources: Resource[],
): Promise<ScenarioTurnResult[]> {
  // Only what the deployed stage sets: a developer's own CHAT_* variables must not shape the requests.
  const config = loadConfig({
    AWS_REGION: target.region,
    CHAT_TABLE_NAME: 'unused-by-scenarios',
    // Storage is in memory below; a DynamoDB call would be a bug, and goes to a closed local port, never AWS.
    CHAT_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
    CHAT_MODEL_ID: target.modelId,
    CHAT_KNOWLEDGE_BASE_ID: target.knowledgeBaseId,
    CHAT_BEDROCK_ENDPOINT: target.endpoint,
  });
  const clock = { now: () => Date.parse(scenario.clock) };
  const frames: ServerFrame[] = [];
  const { resources: catalog, ...storage } = createMemoryStorage({
    resources,
    rateLimitPerMinute: config.rateLimitPerMinute,
    clock,
  });
  const { model, tools } = createModelAndTools(config, clock, {
    resources: catalog,
    memories: storage.memories,
  });
  const deps = { ...storage, model, tools, clock, settings: config.turn };
  const reply = {
    async send(frame: ServerFrame) {
      frames.push(frame);
    },
  };

  const sessionId = crypto.randomUUID();
  const results: ScenarioTurnResult[] = [];
  // A handoff, should a recorded model ask for one, goes to an in-memory queue nobody serves.
  const handoff = {
    queue: createMemoryHandoffQueue(),
    broadcast: createBroadcast({ registry: createMemoryConnectionRegistry(), send: async () => {} }),
    sessions: storage.sessions,
    clock,
    settings: config.turn,
  };
  const turnTools = config.handoffTool
    ? withHandoffTool(tools, handoff, {
        sessionId,
        userId: SCENARIO_USER,
        expiresAt: Math.floor(clock.now() / 1000) + config.turn.sessionTtlSeconds,
      })
    : tools;
  for (const turn of scenario.turns) {
    const from = frames.length;
    const summary = await runTurn(
      { ...deps, tools: turnTools },
      { connectionId: 'scenario', sessionId, userId: SCENARIO_USER, message: turn.message, reply },
    );
    results.push({ message: turn.message, summary, frames: frames.slice(from) });
  }
  return results;
}

/** Where a turn fell short of its scenario's `expect`, in words; empty when it met it. */
export function unmetExpectations(scenario: Scenario, results: ScenarioTurnResult[]): string[] {
  return scenario.turns.flatMap((turn, index) => {
    const result = results[index];
    if (!result) return [`turn ${index + 1} did not run`];
    const problems: string[] = [];
    const error = result.frames.find((frame) => frame.type === 'error');
    const ended = error?.type === 'error' ? `error ${error.code}` : 'done';
    const expected = turn.expect?.error === undefined ? 'done' : `error ${turn.expect.error}`;
    if (ended !== expected) problems.push(`turn ${index + 1} ended with ${ended}, expected ${expected}`);
    const tools = result.frames.flatMap((frame) => (frame.type === 'status' ? [frame.tool] : []));
    if (turn.expect?.tools && JSON.stringify(tools) !== JSON.stringify(turn.expect.tools)) {
      problems.push(
        `turn ${index + 1} used tools [${tools.join(', ')}], expected [${turn.expect.tools.join(', ')}]`,
      );
    }
    return problems;
  });
}
