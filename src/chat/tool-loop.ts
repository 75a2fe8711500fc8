import type { StopReason } from '../protocol/server-frame.ts';
import { ModelTimeoutError } from './errors.ts';
import { type FrameStream, jsonTextBytes, splitByJsonBytes } from './frame-stream.ts';
import {
  addUsage,
  type ContentBlock,
  isToolUseBlock,
  type Message,
  ROUND_SEPARATOR,
  type TokenUsage,
  type ToolUseBlock,
  totalTokens,
  ZERO_USAGE,
} from './messages.ts';
import type { ModelClient, ModelRequest, ModelStopReason } from './ports.ts';
import type { ToolContext, ToolRegistry } from './tools/registry.ts';
import { type InterruptReason, interruptionOf, TurnInterrupted } from './turn-interrupts.ts';
import { jsonBytes } from './window.ts';

export interface ToolLoopOptions {
  model: ModelClient;
  tools: ToolRegistry;
  frames: FrameStream;
  /** Tool rounds allowed before the turn ends with `tool_limit`. */
  maxToolRounds: number;
  /** A model stream silent for this long is aborted with ModelTimeoutError. */
  idleTimeoutMs: number;
  /**
   * Most the answer may hold (text, tool calls and results), in bytes of JSON. An answer that reaches it ends
   * with `size_limit` and says so, so a turn always fits where it is stored and sent.
   */
  maxAnswerBytes: number;
  /** Aborted with a TurnInterrupted reason when the client leaves, cancels or the deadline nears. */
  signal: AbortSignal;
  /** Who the tools act for, and the turn's passage numbering (createToolContext). */
  toolContext: ToolContext;
  /** System blocks of this conversation after the configured prompt (memories, summary). */
  system?: string[];
  /** Where the prompt cache may end: the messages sent unchanged on the previous turn. */
  cache?: ModelRequest['cache'];
  /** Labels for each model call (ModelRequest.metadata). */
  metadata?: ModelRequest['metadata'];
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
  /**
   * The tokens the model counted in the conversation: everything it read on its first call (cache included),
   * and everything it read and wrote on its last. Their difference is what this run added (turn-tokens.ts).
   */
  context: { firstInputTokens: number; lastTotalTokens: number };
}

export const TOOL_LIMIT_NOTE =
  'I stopped here because this question needed more tool calls than I am allowed per answer.';

export const SIZE_LIMIT_NOTE =
  'I stopped here because this answer reached the longest length a conversation can store.';

/** Room kept in the answer's size for the size-limit note and the JSON around the last text. */
const SIZE_LIMIT_RESERVE_BYTES = 512;

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
  const context = { firstInputTokens: 0, lastTotalTokens: 0 };
  const finish = (stopReason: StopReason): ToolLoopResult => ({
    messages: added,
    stopReason,
    usage,
    modelCalls,
    toolCalls,
    context,
  });
  const text = createRoundText(options.frames);
  /** Ends the answer with a note saying why (the tool limit, the size limit), as streamed and as stored. */
  const endWithNote = async (spoken: ContentBlock[], note: string, stopReason: StopReason) => {
    const said = text.emittedThisRound ? `${ROUND_SEPARATOR}${note}` : note;
    await text.emit(said);
    added.push({ role: 'assistant', content: [...spoken, { text: said }] });
    return finish(stopReason);
  };
  const textRoom = () => options.maxAnswerBytes - SIZE_LIMIT_RESERVE_BYTES - jsonBytes(added);

  for (let round = 0; ; round++) {
    const interruption = interruptionOf(options.signal);
    if (interruption) return finish(interruption);
    if (textRoom() <= 0) return endWithNote([], SIZE_LIMIT_NOTE, 'size_limit');

    modelCalls++;
    text.newRound();
    const response = await streamResponse([...conversation, ...added], text.emit, textRoom(), options);
    usage = addUsage(usage, response.usage);
    if (round === 0) context.firstInputTokens = totalTokens(response.usage) - response.usage.outputTokens;
    context.lastTotalTokens = totalTokens(response.usage);
    const toolUses = response.content.filter(isToolUseBlock);
    const spoken = response.content.filter((block) => !isToolUseBlock(block));

    if (response.interrupted) {
      added.push({ role: 'assistant', content: spoken });
      return finish(response.interrupted);
    }
    if (response.sizeLimited) return endWithNote(spoken, SIZE_LIMIT_NOTE, 'size_limit');
    if (response.stopReason !== 'tools_requested' || toolUses.length === 0) {
      added.push({ role: 'assistant', content: response.content });
      // A request for tools without a tool call is an answer that simply ended.
      return finish(response.stopReason === 'tools_requested' ? 'end_turn' : response.stopReason);
    }
    if (round >= options.maxToolRounds) return endWithNote(spoken, TOOL_LIMIT_NOTE, 'tool_limit');

    toolCalls += toolUses.length;
    const results = await Promise.all(toolUses.map((block) => runTool(block, options)));
    const toolRound = [
      { role: 'assistant', content: response.content },
      { role: 'user', content: results },
    ] satisfies Message[];
    // Tool results too large to keep end the answer here, with what was said before the calls.
    if (jsonBytes(toolRound) > textRoom()) return endWithNote(spoken, SIZE_LIMIT_NOTE, 'size_limit');
    added.push(...toolRound);
  }
}

interface ModelResponse {
  content: ContentBlock[];
  stopReason: ModelStopReason;
  usage: TokenUsage;
  interrupted?: InterruptReason;
  /** The text reached the room left for it: the call was stopped there. */
  sizeLimited?: boolean;
}

/** Stops a model call whose answer reached its size limit; not an interruption, not a failure. */
class SizeLimitReached extends Error {
  override readonly name = 'SizeLimitReached';
}

/**
 * One model call. Its own controller adds the call's idle timeout (a failure, ModelTimeoutError) to the
 * turn's interrupts (an early end, keeping the text so far).
 */
async function streamResponse(
  messages: Message[],
  emitText: (text: string) => Promise<void>,
  textRoomBytes: number,
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
  let textBytes = 0;
  let stopReason: ModelStopReason = 'end_turn';
  let usage = ZERO_USAGE;
  const closeText = () => {
    if (text !== '') content.push({ text });
    text = '';
  };

  try {
    armIdleTimer();
    for await (const event of options.model.stream(
      {
        messages,
        tools: options.tools.specs,
        ...(options.system?.length ? { system: options.system } : {}),
        ...(options.cache ? { cache: options.cache } : {}),
        ...(options.metadata ? { metadata: options.metadata } : {}),
      },
      call.signal,
    )) {
      armIdleTimer();
      if (call.signal.aborted) break;
      switch (event.type) {
        case 'text': {
          const delta = fitText(event.text, textRoomBytes - textBytes);
          text += delta;
          textBytes += jsonTextBytes(delta);
          // The first token's push goes out before the rest of a burst of deltas is decoded, not after.
          pushing = true;
          await emitText(delta);
          pushing = false;
          if (delta !== event.text) call.abort(new SizeLimitReached());
          break;
        }
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
    if (reason instanceof SizeLimitReached) return { content, stopReason, usage, sizeLimited: true };
    throw reason;
  }
  return { content, stopReason, usage };
}

/** The longest start of `text` whose JSON form fits in `roomBytes`, never cut inside a code point. */
function fitText(text: string, roomBytes: number): string {
  if (jsonTextBytes(text) <= roomBytes) return text;
  return roomBytes <= 0 ? '' : (splitByJsonBytes(text, roomBytes)[0] ?? '');
}

async function runTool(block: ToolUseBlock, options: ToolLoopOptions): Promise<ContentBlock> {
  const started = performance.now();
  const result = await options.tools.run(block.toolUse, options.signal, options.toolContext);
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
