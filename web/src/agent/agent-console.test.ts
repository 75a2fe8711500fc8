import { describe, expect, it } from 'vitest';
import type { HandoffEntry } from '../../../src/protocol/handoff-frames.ts';
import { conversationToReopen, initialAgentConsole, isOwn, receiveAgentFrame } from './agent-console.ts';

const entry = (sessionId: string, overrides: Partial<HandoffEntry> = {}): HandoffEntry => ({
  sessionId,
  userId: 'alice',
  reason: 'user_request',
  summary: 'wants a person',
  status: 'queued',
  queuedAt: 1_000,
  ...overrides,
});

describe('the agent console', () => {
  it('shows the queue as the server pushes it', () => {
    const state = receiveAgentFrame(initialAgentConsole, {
      type: 'handoffs',
      sessionId: null,
      handoffs: [entry('s1'), entry('s2')],
      at: 5_000,
    });
    expect(state).toMatchObject({ loaded: true, queueAt: 5_000 });
    expect(state.queue.map((handoff) => handoff.sessionId)).toEqual(['s1', 's2']);
  });

  it('knows its own conversations by the id the server gives it, and which one to open again after a reload', () => {
    const queue = [
      entry('s1', { status: 'claimed', agentId: 'sub-2' }),
      entry('s2', { status: 'claimed', agentId: 'sub-1' }),
    ];
    // A push names nobody: nothing is known to be ours yet.
    let state = receiveAgentFrame(initialAgentConsole, {
      type: 'handoffs',
      sessionId: null,
      handoffs: queue,
      at: 1,
    });
    expect(conversationToReopen(state)).toBeUndefined();
    state = receiveAgentFrame(state, {
      type: 'handoffs',
      sessionId: null,
      handoffs: queue,
      at: 2,
      agentId: 'sub-1',
    });
    expect(state.agentId).toBe('sub-1');
    // On AWS the signed-in name (an e-mail) is not the id conversations carry: the server's id decides.
    expect(queue.map((handoff) => isOwn(state, handoff, 'ada@example.com'))).toEqual([false, true]);
    expect(conversationToReopen(state)).toBe('s2');
    // Later pushes keep it; with the conversation shown there is nothing to reopen.
    state = receiveAgentFrame(state, { type: 'handoffs', sessionId: null, handoffs: queue, at: 3 });
    state = receiveAgentFrame(state, {
      type: 'transcript',
      sessionId: 's2',
      handoff: queue[1] as HandoffEntry,
      messages: [],
      events: [],
    });
    expect(state.agentId).toBe('sub-1');
    expect(conversationToReopen(state)).toBeUndefined();
  });

  it('opens a claimed conversation with its transcript, then adds the live lines once each', () => {
    let state = receiveAgentFrame(initialAgentConsole, {
      type: 'transcript',
      sessionId: 's1',
      handoff: entry('s1', { status: 'claimed', agentId: 'carol' }),
      messages: [{ role: 'user', text: 'help' }],
      events: [
        { kind: 'queued', by: 'alice', at: 1 },
        { kind: 'userMessage', by: 'alice', at: 2, text: 'still there?' },
      ],
    });
    const said = { type: 'agent', sessionId: 's1', agentId: 'carol', message: 'yes', at: 3 } as const;
    state = receiveAgentFrame(receiveAgentFrame(state, said), said);
    state = receiveAgentFrame(state, {
      type: 'userMessage',
      sessionId: 's1',
      userId: 'alice',
      message: 'thanks',
      at: 4,
    });
    expect(state.active?.lines.map((line) => `${line.by}: ${line.text}`)).toEqual([
      'alice: still there?',
      'carol: yes',
      'alice: thanks',
    ]);
  });

  it('closes the open conversation when it leaves the queue (released or cancelled), saying so', () => {
    let state = receiveAgentFrame(initialAgentConsole, {
      type: 'transcript',
      sessionId: 's1',
      handoff: entry('s1', { status: 'claimed', agentId: 'carol' }),
      messages: [],
      events: [],
    });
    state = receiveAgentFrame(state, { type: 'handoffs', sessionId: null, handoffs: [entry('s2')], at: 9 });
    expect(state.active).toBeUndefined();
    expect(state.notice).toContain('went back to the assistant');
  });

  it('says when the signed-in user is not an agent', () => {
    const state = receiveAgentFrame(initialAgentConsole, {
      type: 'error',
      sessionId: null,
      code: 'FORBIDDEN',
      message: 'Only agents may do this.',
      retryable: false,
    });
    expect(state.forbidden).toBe(true);
  });
});
