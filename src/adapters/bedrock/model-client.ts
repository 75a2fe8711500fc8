import {
  type Message as BedrockMessage,
  type BedrockRuntimeClient,
  type Tool as BedrockTool,
  ConverseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import type { JsonObject } from '../../chat/messages.ts';
import type { ModelClient, ModelEvent, ModelRequest, ModelStopReason } from '../../chat/ports.ts';
import { placeCachePoints } from './cache-points.ts';
import { toModelError } from './model-errors.ts';

export interface BedrockModelOptions {
  client: BedrockRuntimeClient;
  modelId: string;
  systemPrompt: string;
  maxTokens: number;
  /** The fewest tokens a prompt-cache checkpoint must cover; undefined: the model does not cache. */
  cacheMinTokens?: number;
}

/** ConverseStream as a ModelClient: decodes the event stream and assembles streamed tool input JSON. */
export function createBedrockModelClient(options: BedrockModelOptions): ModelClient {
  return {
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
      const prompt = placeCachePoints(
        {
          tools: request.tools.map(toBedrockTool),
          system: [{ text: options.systemPrompt }, ...(request.system ?? []).map((text) => ({ text }))],
          // Role and content only: a question's stored token count is ours, not Bedrock's.
          messages: request.messages.map(({ role, content }) => ({ role, content })) as BedrockMessage[],
        },
        { minTokens: options.cacheMinTokens, stableMessages: request.cache?.stableMessages },
      );
      const command = new ConverseStreamCommand({
        modelId: options.modelId,
        system: prompt.system,
        messages: prompt.messages,
        inferenceConfig: { maxTokens: Math.min(request.maxTokens ?? options.maxTokens, options.maxTokens) },
        ...(prompt.tools.length > 0 ? { toolConfig: { tools: prompt.tools } } : {}),
        ...(request.metadata ? { requestMetadata: request.metadata } : {}),
      });

      // Tool input arrives as JSON fragments per content block; they are joined and parsed at the block's end.
      const pendingTools = new Map<number, { toolUseId: string; name: string; json: string }>();
      try {
        const response = await options.client.send(command, { abortSignal: signal });
        for await (const event of response.stream ?? []) {
          if (event.contentBlockStart?.start?.toolUse) {
            const { toolUseId = '', name = '' } = event.contentBlockStart.start.toolUse;
            pendingTools.set(event.contentBlockStart.contentBlockIndex ?? 0, { toolUseId, name, json: '' });
            yield { type: 'toolStart', toolUseId, name };
          } else if (event.contentBlockDelta?.delta) {
            const { delta, contentBlockIndex = 0 } = event.contentBlockDelta;
            if (delta.text !== undefined) yield { type: 'text', text: delta.text };
            const pending = pendingTools.get(contentBlockIndex);
            if (delta.toolUse?.input !== undefined && pending) pending.json += delta.toolUse.input;
          } else if (event.contentBlockStop) {
            const index = event.contentBlockStop.contentBlockIndex ?? 0;
            const pending = pendingTools.get(index);
            if (pending) {
              pendingTools.delete(index);
              yield {
                type: 'toolUse',
                toolUseId: pending.toolUseId,
                name: pending.name,
                input: parseToolInput(pending.json),
              };
            }
          } else if (event.messageStop) {
            yield { type: 'stop', stopReason: toModelStopReason(event.messageStop.stopReason) };
          } else if (event.metadata?.usage) {
            const {
              inputTokens = 0,
              outputTokens = 0,
              cacheReadInputTokens,
              cacheWriteInputTokens,
            } = event.metadata.usage;
            yield {
              type: 'usage',
              usage: {
                inputTokens,
                outputTokens,
                // Prompt-cache tokens are billed apart from inputTokens, which does not include them.
                ...(cacheReadInputTokens ? { cacheReadTokens: cacheReadInputTokens } : {}),
                ...(cacheWriteInputTokens ? { cacheWriteTokens: cacheWriteInputTokens } : {}),
              },
            };
          }
        }
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw toModelError(error);
      }
    },
  };
}

/**
 * Bedrock's stop reasons (botocore's bedrock-runtime `StopReason` enum) in the core's words. The ones the
 * client is not told about (malformed_model_output, malformed_tool_use, model_context_window_exceeded, or a
 * new one) end the answer like `end_turn`: what was said is kept, and the client sees an answer that ended.
 */
const STOP_REASONS = new Map<string, ModelStopReason>([
  ['end_turn', 'end_turn'],
  ['tool_use', 'tools_requested'],
  ['max_tokens', 'max_tokens'],
  ['stop_sequence', 'stop_sequence'],
  ['content_filtered', 'content_filtered'],
  ['guardrail_intervened', 'guardrail_intervened'],
]);

function toModelStopReason(reason: string | undefined): ModelStopReason {
  return STOP_REASONS.get(reason ?? '') ?? 'end_turn';
}

function toBedrockTool(tool: ModelRequest['tools'][number]): BedrockTool {
  return {
    toolSpec: {
      name: tool.name,
      description: tool.description,
      inputSchema: { json: tool.inputSchema as never },
    },
  };
}

/** The model's tool input; unparsable JSON is passed on as a string field so the tool reports a clear error. */
function parseToolInput(json: string): JsonObject {
  if (json.trim() === '') return {};
  try {
    const value = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { value };
  } catch {
    return { invalidJson: json };
  }
}
