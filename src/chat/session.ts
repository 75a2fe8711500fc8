import type { StopReason } from '../protocol/server-frame.ts';
import { addUsage, type Message, type TokenUsage, ZERO_USAGE } from './messages.ts';
import type { StoredSession } from './ports.ts';
import { repairWindow, trimWindow } from './window.ts';

export interface WindowSettings {
  /** Messages kept per session (whole turns only). */
  windowMessages: number;
  /** Sliding expiry: every saved turn moves `expiresAt` this far ahead. */
  sessionTtlSeconds: number;
}

export interface CompletedTurn {
  turnId: string;
  /** The user's message followed by everything the model and tools added. */
  messages: Message[];
  usage: TokenUsage;
  stopReason: StopReason;
}

/** Stop reasons that cut an answer short; the session records which turn they hit. */
export const INTERRUPTED_STOP_REASONS: ReadonlySet<StopReason> = new Set([
  'timeout',
  'cancelled',
  'client_gone',
]);

export function createSession(sessionId: string, ownerId: string | undefined, nowMs: number): StoredSession {
  const now = new Date(nowMs).toISOString();
  return {
    sessionId,
    ...(ownerId === undefined ? {} : { ownerId }),
    version: 0,
    turns: 0,
    messages: [],
    usage: ZERO_USAGE,
    createdAt: now,
    updatedAt: now,
    expiresAt: 0,
  };
}

/** Stores and AWS keep expired items for a while after `expiresAt`; such a session counts as gone. */
export function isExpired(session: StoredSession, nowMs: number): boolean {
  return session.version > 0 && session.expiresAt * 1000 <= nowMs;
}

/** The session with one more turn recorded: window repaired and trimmed, usage summed, expiry pushed out. */
export function applyTurn(
  session: StoredSession,
  turn: CompletedTurn,
  nowMs: number,
  settings: WindowSettings,
): StoredSession {
  const { interruptedTurn: _previous, ...rest } = session;
  return {
    ...rest,
    version: session.version + 1,
    turns: session.turns + 1,
    messages: trimWindow(repairWindow([...session.messages, ...turn.messages]), settings.windowMessages),
    usage: addUsage(session.usage, turn.usage),
    updatedAt: new Date(nowMs).toISOString(),
    expiresAt: Math.floor(nowMs / 1000) + settings.sessionTtlSeconds,
    ...(INTERRUPTED_STOP_REASONS.has(turn.stopReason)
      ? { interruptedTurn: { turnId: turn.turnId, stopReason: turn.stopReason } }
      : {}),
  };
}
