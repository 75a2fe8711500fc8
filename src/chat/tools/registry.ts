import * as z from 'zod/mini';
import { createPassageNumbering, type PassageNumbering } from '../citations/passage-numbering.ts';
import { ToolError } from '../errors.ts';
import type { JsonObject, Message, ToolResultBlock } from '../messages.ts';
import type { ToolSpec } from '../ports.ts';

export interface Tool<Input = unknown> {
  name: string;
  /** Tells the model when to call the tool. */
  description: string;
  /** Validates the model's arguments; its JSON Schema is what the model sees. */
  input: z.ZodMiniType<Input>;
  /** What the client's status line says while the tool runs, e.g. "Searching knowledge base…". */
  status: string;
  run(input: Input, signal: AbortSignal, context: ToolContext): Promise<JsonObject>;
}

/** What a tool call knows of the turn it runs in. */
export interface ToolContext {
  /** The signed-in user, or ANONYMOUS_USER when auth is off: tools that keep per-user data (memories) use only theirs. */
  userId: string;
  /** Numbers retrieved passages uniquely within the turn, so the answer's `[n]` names one passage. */
  passages: PassageNumbering;
}

/** A context for one turn of `userId`; `earlierInTurn` is what a resumed turn already holds after its question. */
export function createToolContext(userId: string, earlierInTurn: readonly Message[] = []): ToolContext {
  return { userId, passages: createPassageNumbering(earlierInTurn) };
}

export interface ToolCall {
  toolUseId: string;
  name: string;
  input: JsonObject;
}

export interface ToolRegistry {
  readonly specs: ToolSpec[];
  statusFor(name: string): string;
  /** Runs one call. Never throws: unknown tools, bad input and failures become an error toolResult. */
  run(call: ToolCall, signal: AbortSignal, context: ToolContext): Promise<ToolResultBlock>;
}

const TOOL_TIMEOUT_MS = 10_000;

// biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of different input types
export function createToolRegistry(tools: Tool<any>[], options: { timeoutMs?: number } = {}): ToolRegistry {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const specs = tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: toInputSchema(tool.input),
  }));

  return {
    specs,
    statusFor: (name) => byName.get(name)?.status ?? `Running ${name}…`,
    async run(call, signal, context) {
      const tool = byName.get(call.name);
      if (!tool)
        return failure(
          call,
          `Unknown tool "${call.name}". Available tools: ${[...byName.keys()].join(', ')}.`,
        );
      const parsed = tool.input.safeParse(call.input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return failure(
          call,
          `Invalid input for ${call.name}: ${issue?.path.join('.') || 'input'}: ${issue?.message}`,
        );
      }
      try {
        const output = await withTimeout(
          tool.run(parsed.data, signal, context),
          options.timeoutMs ?? TOOL_TIMEOUT_MS,
        );
        return { toolResult: { toolUseId: call.toolUseId, content: [{ json: output }], status: 'success' } };
      } catch (error) {
        const reason =
          error instanceof ToolError ? error.message : `${call.name} failed; the service is unavailable.`;
        return failure(call, reason);
      }
    },
  };
}

function failure(call: ToolCall, message: string): ToolResultBlock {
  return { toolResult: { toolUseId: call.toolUseId, content: [{ text: message }], status: 'error' } };
}

function toInputSchema(schema: z.ZodMiniType): JsonObject {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input' }) as JsonObject;
  return json;
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ToolError(`The tool did not answer within ${timeoutMs / 1000} s.`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
