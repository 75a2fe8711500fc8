import { describe, expect, it } from 'vitest';
import type { HandoffFrame } from '../../../src/protocol/handoff-frames.ts';
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

  it('ignores another conversation’s handoff', () => {
    const state = updateConversation(loaded(), {
      type: 'frameReceived',
      frame: { type: 'handoff', sessionId: 'other', status: 'queued', reason: 'user_request', position: 1 },
    });
    expect(state.handoff).toBeUndefined();
  });
});
