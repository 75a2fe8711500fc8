import { describe, expect, it } from 'vitest';
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

  it('ignores another conversation’s handoff', () => {
    const state = updateConversation(loaded(), {
      type: 'frameReceived',
      frame: { type: 'handoff', sessionId: 'other', status: 'queued', reason: 'user_request', position: 1 },
    });
    expect(state.handoff).toBeUndefined();
  });
});
