import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { ModelStreamError, ModelTimeoutError } from '../../../src/chat/errors.ts';
import { createFrameStream } from '../../../src/chat/frame-stream.ts';
import { userText } from '../../../src/chat/messages.ts';
import {
  runToolLoop,
  SIZE_LIMIT_NOTE,
  TOOL_LIMIT_NOTE,
  type ToolLoopOptions,
} from '../../../src/chat/tool-loop.ts';
import { createToolContext, createToolRegistry, type Tool } from '../../../src/chat/tools/registry.ts';
import { TurnInterrupted } from '../../../src/chat/turn-interrupts.ts';
import {
  answer,
  createFakeModel,
  createRecordingReply,
  type ScriptedCall,
  streamedText,
  toolCall,
} from '../../support/fakes.ts';

const echoTool: Tool<{ query: string }> = {
  name: 'kb_lookup',
  description: 'search',
  input: z.object({ query: z.string() }),
  status: 'Searching knowledge base…',
  run: async ({ query }) => ({ found: query }),
};

function setup(calls: ScriptedCall[], overrides: Partial<ToolLoopOptions> = {}) {
  const model = createFakeModel(calls);
  const reply = createRecordingReply();
  const frames = createFrameStream({
    reply,
    sessionId: 's',
    turnId: 't',
    policy: { minDelayMs: 1, maxDelayMs: 1, maxFrameBytes: 10_000 },
  });
  const options: ToolLoopOptions = {
    model,
    tools: createToolRegistry([echoTool]),
    frames,
    maxToolRounds: 3,
    idleTimeoutMs: 1_000,
    maxAnswerBytes: 96 * 1024,
    signal: new AbortController().signal,
    toolContext: createToolContext('user-1'),
    ...overrides,
  };
  const run = async () => {
    const result = await runToolLoop([userText('question')], options);
    // `done` flushes text still waiting for the coalescing timer.
    await frames.done({
      stopReason: result.stopReason,
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      modelCalls: 0,
      toolCalls: 0,
    });
    return result;
  };
  return { model, reply, frames, run };
}

describe('runToolLoop', () => {
  it('answers without tools in exactly one model call, streaming the text', async () => {
    const { model, reply, run } = setup([answer('Hello there')]);

    const result = await run();

    expect(model.requests).toHaveLength(1);
    expect(result).toMatchObject({ stopReason: 'end_turn', modelCalls: 1, toolCalls: 0 });
    expect(result.messages).toEqual([{ role: 'assistant', content: [{ text: 'Hello there' }] }]);
    expect(streamedText(reply.frames)).toBe('Hello there');
  });

  it('offers the tools to the model on every call', async () => {
    const { model, run } = setup([toolCall({ name: 'kb_lookup', input: { query: 'x' } }), answer('Done')]);
    await run();
    expect(model.requests.map((r) => r.tools.map((t) => t.name))).toEqual([['kb_lookup'], ['kb_lookup']]);
  });

  it('runs a requested tool, appends toolUse and toolResult, and continues: two model calls', async () => {
    const { model, reply, run } = setup([
      toolCall({ name: 'kb_lookup', input: { query: 'reset' }, id: 'tu1' }),
      answer('Found it'),
    ]);

    const result = await run();

    expect(result).toMatchObject({ stopReason: 'end_turn', modelCalls: 2, toolCalls: 1 });
    expect(model.requests[1]?.messages).toEqual([
      userText('question'),
      {
        role: 'assistant',
        content: [{ toolUse: { toolUseId: 'tu1', name: 'kb_lookup', input: { query: 'reset' } } }],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'tu1', content: [{ json: { found: 'reset' } }], status: 'success' } },
        ],
      },
    ]);
    expect(reply.frames[0]).toMatchObject({
      type: 'status',
      tool: 'kb_lookup',
      value: 'Searching knowledge base…',
    });
  });

  it('runs several tool calls of one response in parallel', async () => {
    const started: number[] = [];
    const slowTool: Tool<{ query: string }> = {
      ...echoTool,
      run: async ({ query }) => {
        started.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { found: query };
      },
    };
    const { run } = setup(
      [
        toolCall(
          { name: 'kb_lookup', input: { query: 'a' }, id: 'a' },
          { name: 'kb_lookup', input: { query: 'b' }, id: 'b' },
        ),
        answer('ok'),
      ],
      { tools: createToolRegistry([slowTool]) },
    );

    const result = await run();

    expect(result.toolCalls).toBe(2);
    expect(Math.abs((started[0] as number) - (started[1] as number))).toBeLessThan(40);
  });

  it('reports an unknown tool to the model as an error toolResult and carries on', async () => {
    const { model, run } = setup([
      toolCall({ name: 'launch_rockets', input: {}, id: 'x' }),
      answer('I cannot do that'),
    ]);

    const result = await run();

    expect(result.stopReason).toBe('end_turn');
    expect(model.requests[1]?.messages.at(-1)).toEqual({
      role: 'user',
      content: [
        {
          toolResult: {
            toolUseId: 'x',
            content: [{ text: 'Unknown tool "launch_rockets". Available tools: kb_lookup.' }],
            status: 'error',
          },
        },
      ],
    });
  });

  it('stops at the tool-round limit with a clear note instead of looping forever', async () => {
    const ask = toolCall({ name: 'kb_lookup', input: { query: 'again' } });
    const { model, reply, run } = setup([ask, ask, ask, ask, ask], { maxToolRounds: 2 });

    const result = await run();

    expect(model.requests).toHaveLength(3);
    expect(result.stopReason).toBe('tool_limit');
    expect(result.messages.at(-1)).toEqual({ role: 'assistant', content: [{ text: TOOL_LIMIT_NOTE }] });
    expect(streamedText(reply.frames)).toBe(TOOL_LIMIT_NOTE);
  });

  it('separates the text of successive rounds exactly as history will show it', async () => {
    const { reply, run } = setup([
      [{ type: 'text', text: 'Let me check.' }, ...toolCall({ name: 'kb_lookup', input: { query: 'q' } })],
      answer('It is done.'),
    ]);

    await run();

    expect(streamedText(reply.frames)).toBe('Let me check.\n\nIt is done.');
  });

  it('ends with the partial answer when the turn is interrupted mid-stream', async () => {
    const controller = new AbortController();
    const { run } = setup(
      [[{ type: 'text', text: 'Half an' }, { waitMs: 50 }, { type: 'text', text: ' answer' }]],
      {
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(new TurnInterrupted('cancelled')), 20);

    const result = await run();

    expect(result.stopReason).toBe('cancelled');
    expect(result.messages).toEqual([{ role: 'assistant', content: [{ text: 'Half an' }] }]);
  });

  it('aborts a stream that goes silent with ModelTimeoutError', async () => {
    const { run } = setup([[{ type: 'text', text: 'Hi' }, { hang: true }]], { idleTimeoutMs: 30 });
    await expect(run()).rejects.toBeInstanceOf(ModelTimeoutError);
  });

  it('does not count the time its own first push takes as the model going silent', async () => {
    // Under load the first token's push can take longer than the idle timeout; the model was not silent.
    const reply = createRecordingReply({ delayMs: 120 });
    const frames = createFrameStream({ reply, sessionId: 's', turnId: 't' });
    const result = await runToolLoop([userText('question')], {
      model: createFakeModel([answer('Hello there')]),
      tools: createToolRegistry([]),
      frames,
      maxToolRounds: 1,
      idleTimeoutMs: 40,
      maxAnswerBytes: 96 * 1024,
      signal: new AbortController().signal,
      toolContext: createToolContext('user-1'),
    });

    expect(result.stopReason).toBe('end_turn');
    expect(result.messages).toEqual([{ role: 'assistant', content: [{ text: 'Hello there' }] }]);
  });

  it('passes a model error through unchanged', async () => {
    const { run } = setup([[{ type: 'text', text: 'Hi' }, { throw: new ModelStreamError() }]]);
    await expect(run()).rejects.toBeInstanceOf(ModelStreamError);
  });

  it('tells the observer about every tool call with its outcome', async () => {
    const onToolCall = vi.fn();
    const { run } = setup([toolCall({ name: 'kb_lookup', input: { query: 'q' } }), answer('ok')], {
      onToolCall,
    });
    await run();
    expect(onToolCall).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'kb_lookup', input: { query: 'q' }, status: 'success' }),
    );
  });

  it('stops an answer at the size limit, mid-delta and never mid-character, and says why', async () => {
    const { run, model, reply } = setup([answer('ééé '.repeat(400))], { maxAnswerBytes: 1_024 });
    const result = await run();
    const text = streamedText(reply.frames);

    expect(result.stopReason).toBe('size_limit');
    expect(text.endsWith(SIZE_LIMIT_NOTE)).toBe(true);
    expect(text).not.toContain('\ufffd');
    expect(JSON.stringify(result.messages).length).toBeLessThanOrEqual(1_024);
    expect(model.requests).toHaveLength(1);
  });

  it('ends the answer at the size limit when tool results would not fit, before asking the model again', async () => {
    const bigTool: Tool<{ query: string }> = { ...echoTool, run: async () => ({ found: 'x'.repeat(2_000) }) };
    const { run, model, reply } = setup(
      [toolCall({ name: 'kb_lookup', input: { query: 'q' } }), answer('never')],
      { maxAnswerBytes: 1_024, tools: createToolRegistry([bigTool]) },
    );
    const result = await run();
    const text = streamedText(reply.frames);

    expect(result.stopReason).toBe('size_limit');
    expect(text).toBe(SIZE_LIMIT_NOTE);
    expect(model.requests).toHaveLength(1);
  });
});
