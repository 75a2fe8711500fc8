import { describe, expect, it } from 'vitest';
import type { HandoffFrame } from '../../../src/protocol/handoff-frames.ts';
import type { HistoryFrame } from '../../../src/protocol/server-frame.ts';
import { createConversation, updateConversation } from './conversation.ts';

const sessionId = 's1';
const loaded = () =>
  updateConversation(createConversation(sessionId), {
    type: 'frameReceived',
    frame: {
      type: 'history',
      sessionId,
      turns: 0,
      messages: [],
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    },
  });

describe('a conversation handed to a person', () => {
  it('shows the place in line, then who has it, then nothing once it is back with the assistant', () => {
    let state = updateConversation(loaded(), {
      type: 'frameReceived',
      frame: { type: 'handoff', sessionId, status: 'queued', reason: 'user_request', position: 2 },
    });
    expect(state.handoff).toEqual({ status: 'queued', position: 2 });
    state = updateConversation(state, {
      type: 'frameReceived',
      frame: { type: 'handoff', sessionId, status: 'claimed', reason: 'user_request', agentId: 'carol' },
    });
    expect(state.handoff).toEqual({ status: 'claimed', agentId: 'carol' });
    state = updateConversation(state, {
      type: 'frameReceived',
      frame: { type: 'handoff', sessionId, status: 'released', reason: 'user_request', agentId: 'carol' },
    });
    expect(state.handoff).toBeUndefined();
  });

  it('shows a person’s words once, as theirs', () => {
    const frame = { type: 'agent', sessionId, agentId: 'carol', message: 'Hi!', at: 5 } as const;
    const state = [frame, frame].reduce(
      (current, agent) => updateConversation(current, { type: 'frameReceived', frame: agent }),
      loaded(),
    );
    expect(state.messages).toEqual([
      expect.objectContaining({ role: 'assistant', agentId: 'carol', text: 'Hi!' }),
    ]);
  });

  it('ends a question sent to the person without an answer of the assistant’s', () => {
    let state = updateConversation(loaded(), {
      type: 'questionSent',
      turnId: 't1',
      question: 'still there?',
    });
    state = updateConversation(state, {
      type: 'frameReceived',
      frame: {
        type: 'handoff',
        sessionId,
        status: 'claimed',
        reason: 'user_request',
        agentId: 'carol',
        turnId: 't1',
      },
    });
    expect(state.turn).toBeUndefined();
    expect(state.messages.map((message) => [message.role, message.text])).toEqual([['user', 'still there?']]);
  });

  it('shows what was said with the person so far after a reload, in order and once each', () => {
    const reloaded: HandoffFrame = {
      type: 'handoff',
      sessionId,
      status: 'claimed',
      reason: 'user_request',
      agentId: 'carol',
      messages: [
        { kind: 'userMessage', by: 'ana', at: 1, text: 'my invoice' },
        { kind: 'agentMessage', by: 'carol', at: 2, text: 'Looking at it.' },
        { kind: 'agentMessage', by: 'carol', at: 3, text: 'Fixed.' },
      ],
    };
    let state = updateConversation(loaded(), { type: 'frameReceived', frame: reloaded });
    // The same words again (the live frame of the last one, another history): nothing is shown twice.
    for (const frame of [
      { type: 'agent', sessionId, agentId: 'carol', message: 'Fixed.', at: 3 } as const,
      reloaded,
    ]) {
      state = updateConversation(state, { type: 'frameReceived', frame });
    }
    expect(state.handoff).toEqual({ status: 'claimed', agentId: 'carol' });
    expect(state.messages.map((message) => [message.role, message.agentId, message.text])).toEqual([
      ['user', undefined, 'my invoice'],
      ['assistant', 'carol', 'Looking at it.'],
      ['assistant', 'carol', 'Fixed.'],
    ]);
  });

  it('keeps a person’s words that came live around a reload’s history, after the older ones, once each', () => {
    const live = (message: string, at: number) =>
      ({ type: 'agent', sessionId, agentId: 'carol', message, at }) as const;
    const history: HistoryFrame = {
      type: 'history',
      sessionId,
      turns: 1,
      messages: [{ role: 'user', text: 'Can I talk to a person?' }],
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    };
    let state = updateConversation(createConversation(sessionId), { type: 'historyRequested' });
    // Words 3 come live before the history (which the history would wipe), 4 after it: both newer than what
    // the server read for the handoff frame (1 and 2).
    for (const frame of [live('three', 3), history, live('four', 4)]) {
      state = updateConversation(state, { type: 'frameReceived', frame });
    }
    state = updateConversation(state, {
      type: 'frameReceived',
      frame: {
        type: 'handoff',
        sessionId,
        status: 'claimed',
        reason: 'user_request',
        agentId: 'carol',
        messages: [
          { kind: 'agentMessage', by: 'carol', at: 1, text: 'one' },
          { kind: 'agentMessage', by: 'carol', at: 2, text: 'two' },
        ],
      },
    });
    expect(state.messages.map((message) => message.text)).toEqual([
      'Can I talk to a person?',
      'one',
      'two',
      'three',
      'four',
    ]);
    expect(state.heldAgentMessages).toBeUndefined();
  });

  it('drops words held during a history when no open handoff follows it (they are in the history)', () => {
    let state = updateConversation(createConversation(sessionId), { type: 'historyRequested' });
    state = updateConversation(state, {
      type: 'frameReceived',
      frame: { type: 'agent', sessionId, agentId: 'carol', message: 'bye', at: 9 },
    });
    state = updateConversation(state, {
      type: 'frameReceived',
      frame: {
        type: 'history',
        sessionId,
        turns: 2,
        messages: [
          { role: 'user', text: 'thanks', turnId: 'handoff-1' },
          { role: 'assistant', text: 'A person from support (carol) answered:\n\nbye', turnId: 'handoff-1' },
        ],
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      },
    });
    state = updateConversation(state, {
      type: 'frameReceived',
      frame: { type: 'handoff', sessionId, status: 'released', reason: 'user_request', agentId: 'carol' },
    });
    expect(state.messages.map((message) => message.agentId ?? message.role)).toEqual(['user', 'assistant']);
    // The next history starts afresh.
    state = updateConversation(state, { type: 'historyRequested' });
    expect(state.heldAgentMessages).toBeUndefined();
  });

  it('ignores another conversation’s handoff', () => {
    const state = updateConversation(loaded(), {
      type: 'frameReceived',
      frame: { type: 'handoff', sessionId: 'other', status: 'queued', reason: 'user_request', position: 1 },
    });
    expect(state.handoff).toBeUndefined();
  });
});
