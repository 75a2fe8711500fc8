import type { HandoffEntry, HandoffEvent } from '../../../src/protocol/handoff-frames.ts';
import type { HistoryEntry, ServerFrame } from '../../../src/protocol/server-frame.ts';

/** One line of the live part of a conversation the agent has: the user's words or the agent's. */
export interface LiveLine {
  from: 'user' | 'agent';
  by: string;
  text: string;
  at: number;
}

/** The conversation the agent has claimed. */
export interface ActiveHandoff {
  entry: HandoffEntry;
  /** The conversation with the assistant before the handoff. */
  messages: HistoryEntry[];
  /** What was said since the handoff. */
  lines: LiveLine[];
}

export interface AgentConsoleState {
  queue: HandoffEntry[];
  /** When the queue was read (epoch ms): waiting times count to here. */
  queueAt?: number;
  loaded: boolean;
  active?: ActiveHandoff;
  /** The signed-in agent's user id, as the server names it (from the answer to `listHandoffs`). */
  agentId?: string;
  /** The signed-in user is not an agent. */
  forbidden: boolean;
  problem?: string;
  notice?: string;
}

export const initialAgentConsole: AgentConsoleState = { queue: [], loaded: false, forbidden: false };

const linesOf = (events: readonly HandoffEvent[]): LiveLine[] =>
  events.flatMap((event) =>
    (event.kind === 'userMessage' || event.kind === 'agentMessage') && event.text !== undefined
      ? [
          {
            from: event.kind === 'userMessage' ? 'user' : 'agent',
            by: event.by,
            text: event.text,
            at: event.at,
          },
        ]
      : [],
  );

/** The console after one frame from the server. Pure, so it is unit-tested without a socket. */
export function receiveAgentFrame(state: AgentConsoleState, frame: ServerFrame): AgentConsoleState {
  switch (frame.type) {
    case 'handoffs': {
      const next = {
        ...state,
        queue: frame.handoffs,
        queueAt: frame.at,
        loaded: true,
        problem: undefined,
        agentId: frame.agentId ?? state.agentId,
      };
      const { active } = state;
      if (!active) return next;
      const current = frame.handoffs.find((entry) => entry.sessionId === active.entry.sessionId);
      if (current) return { ...next, active: { ...active, entry: current } };
      // Released by the agent, or cancelled by the user: the conversation is the assistant's again.
      return {
        ...next,
        active: undefined,
        notice: `The conversation with ${active.entry.userId} went back to the assistant.`,
      };
    }
    case 'transcript':
      return {
        ...state,
        problem: undefined,
        notice: undefined,
        active: { entry: frame.handoff, messages: frame.messages, lines: linesOf(frame.events) },
      };
    case 'userMessage':
    case 'agent': {
      const { active } = state;
      if (!active || active.entry.sessionId !== frame.sessionId) return state;
      const line: LiveLine =
        frame.type === 'agent'
          ? { from: 'agent', by: frame.agentId, text: frame.message, at: frame.at }
          : { from: 'user', by: frame.userId, text: frame.message, at: frame.at };
      if (active.lines.some((known) => known.at === line.at && known.from === line.from)) return state;
      return { ...state, active: { ...active, lines: [...active.lines, line] } };
    }
    case 'error':
      if (frame.code === 'FORBIDDEN' && frame.sessionId === null)
        return { ...state, forbidden: true, loaded: true };
      return { ...state, problem: frame.message };
    default:
      return state;
  }
}

/** Whether the conversation is the signed-in agent's own (claimed by them). */
export function isOwn(state: AgentConsoleState, entry: HandoffEntry, user?: string): boolean {
  return (
    entry.status === 'claimed' && entry.agentId !== undefined && entry.agentId === (state.agentId ?? user)
  );
}

/**
 * A console that opens (a reload) with nothing shown, while it has a conversation claimed: the one to open
 * again (the oldest), so the agent finds it as they left it. Undefined otherwise.
 */
export function conversationToReopen(state: AgentConsoleState): string | undefined {
  if (state.active || state.agentId === undefined) return undefined;
  return state.queue.find((entry) => isOwn(state, entry))?.sessionId;
}
