import { describe, expect, it } from 'vitest';
import type { ServerFrame, Source } from '../../../src/protocol/server-frame.ts';
import { type ConversationState, createConversation, updateConversation } from './conversation.ts';

const SESSION = 'session-1';
const TURN = 'turn-1';
const source: Source = {
  n: 1,
  passageId: 'chunk-1',
  title: 'Account security',
  uri: 's3://kb/account-security.md',
  snippet: 'Reset it from the sign-in page.',
  score: 0.7,
};
const base = { sessionId: SESSION, turnId: TURN };
const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2 };

function receive(state: ConversationState, ...frames: ServerFrame[]): ConversationState {
  return frames.reduce(
    (current, frame) => updateConversation(current, { type: 'frameReceived', frame }),
    state,
  );
}

function asked(): ConversationState {
  const loaded = receive(createConversation(SESSION), {
    type: 'history',
    sessionId: SESSION,
    turns: 0,
    messages: [],
    usage,
  });
  return updateConversation(loaded, { type: 'questionSent', turnId: TURN, question: 'How do I reset it?' });
}

describe('sources in the conversation', () => {
  it('attaches the sources frame to the answer of its turn, in seq order', () => {
    const state = receive(
      asked(),
      { type: 'sources', ...base, seq: 2, sources: [source] },
      { type: 'status', ...base, seq: 0, tool: 'kb_lookup', value: 'Searching knowledge base…' },
      { type: 'token', ...base, seq: 1, value: 'Reset it [1].' },
      {
        type: 'done',
        ...base,
        seq: 3,
        stopReason: 'end_turn',
        usage,
        modelCalls: 2,
        toolCalls: 1,
        sources: [source],
      },
    );
    expect(state.turn).toBeUndefined();
    expect(state.messages.at(-1)).toMatchObject({
      text: 'Reset it [1].',
      tools: ['kb_lookup'],
      sources: [source],
    });
  });

  it('takes the sources from done when the sources frame never came', () => {
    const state = receive(
      asked(),
      { type: 'token', ...base, seq: 0, value: 'Reset it [1].' },
      {
        type: 'done',
        ...base,
        seq: 1,
        stopReason: 'end_turn',
        usage,
        modelCalls: 2,
        toolCalls: 1,
        sources: [source],
      },
    );
    expect(state.messages.at(-1)?.sources).toEqual([source]);
  });

  it('redraws the sources of stored answers from the history', () => {
    const state = receive(createConversation(SESSION), {
      type: 'history',
      sessionId: SESSION,
      turns: 1,
      messages: [
        { role: 'user', text: 'How do I reset it?' },
        { role: 'assistant', text: 'Reset it [1].', tools: ['kb_lookup'], sources: [source] },
      ],
      usage,
    });
    expect(state.messages.map((message) => message.sources)).toEqual([undefined, [source]]);
  });
});
