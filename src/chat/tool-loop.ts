import type { StopReason } from '../protocol/server-frame.ts';
import { ModelTimeoutError } from './errors.ts';
import type { FrameStream } from './frame-stream.ts';
import {
  addUsage,
  type ContentBlock,
  isToolUseBlock,
  type Message,
  ROUND_SEPARATOR,
  type TokenUsage,
  type ToolUseBlock,
  ZERO_USAGE,
} from './messages.ts';
import type { ModelClient, ModelStopReason } from './ports.ts';
import { createToolContext, type ToolContext, type ToolRegistry } from './tools/registry.ts';
import { type InterruptReason, interruptionOf, TurnInterrupted } from './turn-interrupts.ts';

export interface ToolLoopOptions {
  model: ModelClient;
  tools: ToolRegistry;
  frames: FrameStream;
  /** Tool rounds allowed before the turn ends with `tool_limit`. */
  maxToolRounds: number;
  /** A model stream silent for this long is aborted with ModelTimeoutError. */
  idleTimeoutMs: number;
  /** Aborted with a TurnInterrupted reason when the client leaves, cancels or the deadline nears. */
  signal: AbortSignal;
  /** What this turn already holds after its question (a resumed answer's first part): passages keep their numbers. */
  earlierInTurn?: Message[];
  onToolCall?: (call: {
    name: string;
    input: unknown;
    status: 'success' | 'error';
    durationMs: number;
  }) => void;
}

export interface ToolLoopResult {
  /** Messages the model and tools added, in order; the last one is the assistant's answer (maybe partial). */
  messages: Message[];
  stopReason: StopReason;
  usage: TokenUsage;
  modelCalls: number;
  toolCalls: number;
}

export const TOOL_LIMIT_NOTE =
  'I stopped here because this question needed more tool calls than I am allowed per answer.';

/**
 * The turn's single streaming loop: one ConverseStream call per round, text forwarded as it arrives, tool calls
 * run (in parallel) between rounds. A question that needs no tool costs exactly one model call.
 */
export async function runToolLoop(
  conversation: Message[],
  options: ToolLoopOptions,
): Promise<ToolLoopResult> {
  const added: Message[] = [];
  let usage = ZERO_USAGE;
  let modelCalls = 0;
  let toolCalls = 0;
  const finish = (stopReason: StopReason): ToolLoopResult => ({
    messages: added,
    stopReason,
    usage,
    modelCalls,
    toolCalls,
  });
  const text = createRoundText(options.frames);
  const context = createToolContext(options.earlierInTurn);

  for (let round = 0; ; round++) {
    const interruption = interruptionOf(options.signal);
    if (interruption) return finish(interruption);

    modelCalls++;
    text.newRound();
    const response = await streamResponse([...conversation, ...added], text.emit, options);
    usage = addUsage(usage, response.usage);
    const toolUses = response.content.filter(isToolUseBlock);

    if (response.interrupted) {
      added.push({ role: 'assistant', content: response.content.filter((block) => !isToolUseBlock(block)) });
      return finish(response.interrupted);
    }
    if (response.stopReason !== 'tools_requested' || toolUses.length === 0) {
      added.push({ role: 'assistant', content: response.content });
      // A request for tools without a tool call is an answer that simply ended.
      return finish(response.stopReason === 'tools_requested' ? 'end_turn' : response.stopReason);
    }
    if (round >= options.maxToolRounds) {
      const note = text.emittedThisRound ? `${ROUND_SEPARATOR}${TOOL_LIMIT_NOTE}` : TOOL_LIMIT_NOTE;
      await text.emit(note);
      const spoken = response.content.filter((block) => !isToolUseBlock(block));
      added.push({ role: 'assistant', content: [...spoken, { text: note }] });
      return finish('tool_limit');
    }

    toolCalls += toolUses.length;
    const results = await Promise.all(toolUses.map((block) => runTool(block, context, options)));
    added.push({ role: 'assistant', content: response.content }, { role: 'user', content: results });
  }
}

interface ModelResponse {
  content: ContentBlock[];
  stopReason: ModelStopReason;
  usage: TokenUsage;
  interrupted?: InterruptReason;
}

/**
 * One model call. Its own controller adds the call's idle timeout (a failure, ModelTimeoutError) to the
 * turn's interrupts (an early end, keeping the text so far).
 */
async function streamResponse(
  messages: Message[],
  emitText: (text: string) => Promise<void>,
  options: ToolLoopOptions,
): Promise<ModelResponse> {
  const call = new AbortController();
  const forwardAbort = () => call.abort(options.signal.reason);
  options.signal.addEventListener('abort', forwardAbort, { once: true });
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  // While our own push of the first token is under way the model is not silent, we are: wait again.
  let pushing = false;
  const onIdle = () => (pushing ? armIdleTimer() : call.abort(new ModelTimeoutError(options.idleTimeoutMs)));
  const armIdleTimer = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(onIdle, options.idleTimeoutMs);
  };

  const content: ContentBlock[] = [];
  let text = '';
  let stopReason: ModelStopReason = 'end_turn';
  let usage = ZERO_USAGE;
  const closeText = () => {
    if (text !== '') content.push({ text });
    text = '';
  };

  try {
    armIdleTimer();
    for await (const event of options.model.stream({ messages, tools: options.tools.specs }, call.signal)) {
      armIdleTimer();
      if (call.signal.aborted) break;
      switch (event.type) {
        case 'text':
          text += event.text;
          // The first token's push goes out before the rest of a burst of deltas is decoded, not after.
          pushing = true;
          await emitText(event.text);
          pushing = false;
          break;
        case 'toolStart':
          options.frames.status(event.name, options.tools.statusFor(event.name));
          break;
        case 'toolUse':
          closeText();
          content.push({ toolUse: { toolUseId: event.toolUseId, name: event.name, input: event.input } });
          break;
        case 'stop':
          stopReason = event.stopReason;
          break;
        case 'usage':
          usage = event.usage;
          break;
      }
    }
  } catch (error) {
    if (!call.signal.aborted) throw error;
  } finally {
    clearTimeout(idleTimer);
    options.signal.removeEventListener('abort', forwardAbort);
  }

  closeText();
  if (call.signal.aborted) {
    const reason: unknown = call.signal.reason;
    if (reason instanceof TurnInterrupted)
      return { content, stopReason, usage, interrupted: reason.stopReason };
    throw reason;
  }
  return { content, stopReason, usage };
}

async function runTool(
  block: ToolUseBlock,
  context: ToolContext,
  options: ToolLoopOptions,
): Promise<ContentBlock> {
  const started = performance.now();
  const result = await options.tools.run(block.toolUse, options.signal, context);
  options.onToolCall?.({
    name: block.toolUse.name,
    input: block.toolUse.input,
    status: result.toolResult.status,
    durationMs: performance.now() - started,
  });
  return result;
}

/**
 * Streams text so that it reads exactly like the stored answer in history: the text of each model round after
 * the first that said something is preceded by ROUND_SEPARATOR.
 */
function createRoundText(frames: FrameStream) {
  let emittedBefore = false;
  let emittedThisRound = false;
  return {
    newRound() {
      emittedBefore ||= emittedThisRound;
      emittedThisRound = false;
    },
    emit(text: string): Promise<void> {
      if (text === '') return Promise.resolve();
      if (!emittedThisRound && emittedBefore) void frames.text(ROUND_SEPARATOR);
      emittedThisRound = true;
      return frames.text(text);
    },
    get emittedThisRound() {
      return emittedThisRound;
    },
  };
}
