/**
 * THE REFERENCE DESIGN, for the benchmark only: never deployed, never imported by src/. It does per message
 * what the design this project comes from does, with the same SDK clients, tools and config as the chat:
 *
 * 1. GetItem the history (no condition, no version);
 * 2. a Converse "planner" call with the tools, to decide whether a tool is needed; if it asks, run the tools;
 * 3. a ConverseStream call for the answer, one PostToConnection per delta, each awaited;
 * 4. PutItem the history, `messages.slice(-20)`, over whatever is there (a concurrent turn is lost).
 *
 * It stores only the question and answer texts, so slice(-20) of whole pairs always starts with a user
 * message: a working, not a strawman, version of the design.
 */
import {
  type Message as BedrockMessage,
  ConverseCommand,
  ConverseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { createClientPushCache } from '../../src/adapters/apigateway/client-push.ts';
import { createBedrockRuntimeClient } from '../../src/adapters/bedrock/clients.ts';
import { createDocumentClient } from '../../src/adapters/dynamodb/document-client.ts';
import type { JsonObject, Message } from '../../src/chat/messages.ts';
import { ANONYMOUS_USER } from '../../src/chat/ports.ts';
import { createToolContext } from '../../src/chat/tools/registry.ts';
import { loadConfig } from '../../src/config.ts';
import { createTurnDependencies } from '../../src/lambda/chat-dependencies.ts';
import { managementEndpointOf } from '../../src/lambda/websocket-event.ts';
import type { ServerFrame } from '../../src/protocol/server-frame.ts';

const HISTORY_MESSAGES = 20;

const config = loadConfig();
const documents = createDocumentClient({ region: config.region, endpoint: config.endpoints.dynamodb });
const bedrock = createBedrockRuntimeClient({ region: config.region, endpoint: config.endpoints.bedrock });
const pushFor = createClientPushCache(config.region);
// The chat's own tools (same specs, same implementations), so both designs put the same request to the model.
const { tools } = createTurnDependencies(config);
const modelRequest = {
  modelId: config.modelId,
  system: [{ text: config.systemPrompt }],
  inferenceConfig: { maxTokens: config.maxOutputTokens },
  toolConfig: {
    tools: tools.specs.map((spec) => ({
      toolSpec: { name: spec.name, description: spec.description, inputSchema: { json: spec.inputSchema } },
    })),
  },
};

type FrameBody<F> = F extends ServerFrame ? Omit<F, 'sessionId' | 'turnId' | 'seq'> : never;

export const handler = async (event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> => {
  const { connectionId } = event.requestContext;
  const { sessionId, message, turnId } = JSON.parse(event.body ?? '{}');
  const push = pushFor(
    managementEndpointOf(event, { region: config.region, managementEndpoint: config.endpoints.management }),
  );
  let seq = 0;
  const send = (frame: FrameBody<ServerFrame>) =>
    push.push(connectionId, { ...frame, sessionId, turnId, seq: seq++ } as ServerFrame);

  try {
    const key = { PK: `REFERENCE#${sessionId}`, SK: 'HISTORY' };
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: key }));
    const history = (Item?.messages ?? []) as Message[];
    const question: Message = { role: 'user', content: [{ text: message }] };
    let messages = [...history.slice(-HISTORY_MESSAGES), question];

    const plan = await bedrock.send(
      new ConverseCommand({ ...modelRequest, messages: messages as BedrockMessage[] }),
    );
    const planned = plan.output?.message as Message | undefined;
    const toolUses = (planned?.content ?? []).flatMap((block) => ('toolUse' in block ? [block.toolUse] : []));
    if (plan.stopReason === 'tool_use' && planned && toolUses.length > 0) {
      const results = await Promise.all(
        toolUses.map((call) =>
          tools.run(
            { ...call, input: call.input as JsonObject },
            AbortSignal.timeout(10_000),
            createToolContext(ANONYMOUS_USER),
          ),
        ),
      );
      messages = [...messages, planned, { role: 'user', content: results }];
    }

    const answer = await bedrock.send(
      new ConverseStreamCommand({ ...modelRequest, messages: messages as BedrockMessage[] }),
    );
    let text = '';
    let stopReason = 'end_turn';
    const usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    for await (const chunk of answer.stream ?? []) {
      const delta = chunk.contentBlockDelta?.delta?.text;
      if (delta) {
        text += delta;
        await send({ type: 'token', value: delta });
      }
      stopReason = chunk.messageStop?.stopReason ?? stopReason;
      Object.assign(usage, chunk.metadata?.usage);
    }

    const answered: Message = { role: 'assistant', content: [{ text }] };
    await documents.send(
      new PutCommand({
        TableName: config.tableName,
        Item: { ...key, messages: [...history, question, answered].slice(-HISTORY_MESSAGES) },
      }),
    );
    await send({
      type: 'done',
      stopReason: stopReason as 'end_turn',
      usage,
      modelCalls: 2,
      toolCalls: toolUses.length,
    });
  } catch (error) {
    await send({ type: 'error', code: 'INTERNAL', message: String(error), retryable: true }).catch(
      () => undefined,
    );
  }
  return { statusCode: 200 };
};
