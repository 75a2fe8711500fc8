/**
 * The ports of the handoff to a person (docs/decisions/0026): the queue of handed-off conversations, the
 * registry of open connections, and the frames sent to other connections than the caller's.
 */
import type { HandoffEvent, HandoffStatus } from '../../protocol/handoff-frames.ts';
import type { ServerFrame } from '../../protocol/server-frame.ts';

/** A conversation handed to a person: open while queued or claimed, then archived with the session. */
export interface StoredHandoff {
  sessionId: string;
  /** The user whose conversation it is. */
  userId: string;
  reason: string;
  summary: string;
  status: Extract<HandoffStatus, 'queued' | 'claimed'>;
  /** Epoch ms; orders the queue. */
  queuedAt: number;
  agentId?: string;
  claimedAt?: number;
  /** Every action taken in it, who and when (the record kept with the session). */
  events: HandoffEvent[];
  /** Epoch seconds; DynamoDB's TTL attribute. */
  expiresAt: number;
}

/** What a claim found: the handoff now the agent's (or already theirs), someone else's, or none open. */
export type ClaimOutcome =
  | { outcome: 'claimed'; handoff: StoredHandoff }
  | { outcome: 'taken'; agentId: string }
  | { outcome: 'absent' };

export interface HandoffQueue {
  /** Queues a handoff. False when the session already has one open. */
  open(handoff: StoredHandoff): Promise<boolean>;
  /** The session's open handoff, read consistently, or undefined. */
  find(sessionId: string): Promise<StoredHandoff | undefined>;
  /** Every open handoff, oldest first (events left out). One partition read; never a scan. */
  list(): Promise<StoredHandoff[]>;
  /** Gives a queued handoff to `agentId` (a conditional write: one agent at a time). */
  claim(sessionId: string, event: HandoffEvent): Promise<ClaimOutcome>;
  /**
   * Appends an event. With `agentId`, only while that agent has it claimed; otherwise while it is open; a
   * message only while it fits the bound (`fitsHandoff`, checked in the same write). Returns the handoff with
   * the event, or undefined when a condition does not hold (nothing was written).
   */
  append(sessionId: string, event: HandoffEvent, agentId?: string): Promise<StoredHandoff | undefined>;
  /**
   * Closes the handoff as it was read (`handoff`, unchanged status and agent since), archiving it with
   * `event` in the session and taking it off the queue. False when it changed meanwhile.
   */
  close(handoff: StoredHandoff, event: HandoffEvent): Promise<boolean>;
  /** When the session's latest closed handoff was released or cancelled (epoch ms), or undefined: none. */
  lastClosedAt(sessionId: string): Promise<number | undefined>;
  /** Removes the handoff and its queue entry without a record: its session is being deleted. */
  discard(handoff: StoredHandoff): Promise<void>;
}

/** One open WebSocket connection of a signed-in user. */
export interface Connection {
  connectionId: string;
  userId: string;
  /** In the `agents` group: it gets the live queue. */
  agent: boolean;
  /**
   * The management endpoint of the API the connection is on. With several regions a user's tab may be on
   * another region's API than the agent's (decision 21); absent: the caller's own API.
   */
  endpoint?: string;
}

/** Who is connected: kept on `$connect`, removed on `$disconnect`, expiring on its own (a TTL). */
export interface ConnectionRegistry {
  add(connection: Connection): Promise<void>;
  remove(connection: Connection): Promise<void>;
  /** The user's open connections. */
  ofUser(userId: string): Promise<Connection[]>;
  /** Every agent's open connections. */
  ofAgents(): Promise<Connection[]>;
}

/** Sends a frame to one connection by id; throws ClientGoneError when it no longer exists. */
export type SendToConnection = (connectionId: string, frame: ServerFrame, endpoint?: string) => Promise<void>;
