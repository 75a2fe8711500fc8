import * as z from 'zod/mini';
import type { HistoryEntry } from './server-frame.ts';

/*
 * The handoff part of the protocol (docs/protocol.md, "Handing off to a person"): a user's conversation goes to
 * a human agent and back. Users send `cancelHandoff`; agents (the `agents` group) send the other actions.
 */

const sessionId = z.uuidv4({ error: 'sessionId must be a random (version 4) UUID' });

export const handoffClientSchemas = {
  cancelHandoff: z.object({ action: z.literal('cancelHandoff'), sessionId }),
  listHandoffs: z.object({ action: z.literal('listHandoffs') }),
  claimHandoff: z.object({ action: z.literal('claimHandoff'), sessionId }),
  agentMessage: z.object({
    action: z.literal('agentMessage'),
    sessionId,
    message: z
      .string({ error: 'message must be a string' })
      .check(z.refine((text) => text.trim().length > 0, 'message must not be empty')),
  }),
  releaseHandoff: z.object({ action: z.literal('releaseHandoff'), sessionId }),
} as const;

export type HandoffAction = keyof typeof handoffClientSchemas;
/** Actions only agents may send. */
export const AGENT_ACTIONS: readonly HandoffAction[] = [
  'listHandoffs',
  'claimHandoff',
  'agentMessage',
  'releaseHandoff',
];

/** The group whose members are agents (Cognito group, `cognito:groups`; offline the dev issuer's `groups`). */
export const AGENTS_GROUP = 'agents';

export type HandoffStatus = 'queued' | 'claimed' | 'released' | 'cancelled';

/** For the user: the state of their conversation's handoff, sent to every open connection of theirs. */
export interface HandoffFrame {
  type: 'handoff';
  sessionId: string;
  status: HandoffStatus;
  /** Why the conversation went to a person (e.g. `user_request`). */
  reason: string;
  /** Queued: 1 for the next in line. */
  position?: number;
  /** Claimed (and released): the agent's user id. */
  agentId?: string;
  /** Set when it answers a `sendMessage` made while a person has the conversation: the message went to them. */
  turnId?: string;
  /**
   * Only on the frame that follows a `history` (queued or claimed): what the user and the person said so far in
   * this handoff, oldest first (`userMessage` and `agentMessage` events), so a reloaded tab shows it. Those
   * words join the history itself once the conversation is back with the assistant.
   */
  messages?: HandoffEvent[];
}

/** For the user: an agent's words. */
export interface AgentFrame {
  type: 'agent';
  sessionId: string;
  agentId: string;
  message: string;
  /** Epoch ms. */
  at: number;
}

/** One conversation in the agents' queue. */
export interface HandoffEntry {
  sessionId: string;
  /** Whose conversation it is. */
  userId: string;
  reason: string;
  /** The assistant's summary for the agent. */
  summary: string;
  status: 'queued' | 'claimed';
  /** Epoch ms. */
  queuedAt: number;
  agentId?: string;
  claimedAt?: number;
}

/** For agents: the whole queue (answer to `listHandoffs`, and pushed to every agent whenever it changes). */
export interface HandoffsFrame {
  type: 'handoffs';
  sessionId: null;
  handoffs: HandoffEntry[];
  /** Epoch ms when it was read; waiting times count to here. */
  at: number;
  /**
   * Only on the answer to `listHandoffs`: the caller's own user id, as entries name the agent who has them, so
   * a console (reloaded, say) knows which conversations are its own.
   */
  agentId?: string;
}

/** What happened in a handoff, who did it and when: the record kept with the session. */
export interface HandoffEvent {
  kind: 'queued' | 'claimed' | 'agentMessage' | 'userMessage' | 'released' | 'cancelled';
  /** The user or agent who did it. */
  by: string;
  /** Epoch ms. */
  at: number;
  text?: string;
}

/** For the agent who claimed a conversation: its transcript, the summary and what happened since the handoff. */
export interface TranscriptFrame {
  type: 'transcript';
  sessionId: string;
  handoff: HandoffEntry;
  messages: HistoryEntry[];
  events: HandoffEvent[];
}

/** For the agent who has the conversation: the user wrote while handed off. */
export interface UserMessageFrame {
  type: 'userMessage';
  sessionId: string;
  userId: string;
  message: string;
  at: number;
}

export type HandoffServerFrame =
  | HandoffFrame
  | AgentFrame
  | HandoffsFrame
  | TranscriptFrame
  | UserMessageFrame;
