import { INTERRUPTED_STOP_REASONS } from '../protocol/stop-reasons.ts';
import { activeVersionAt, isVersion, leaveBranchAt } from './branches.ts';
import { ForbiddenError, SessionExpiredError, TurnNotInWindowError } from './errors.ts';
import { addUsage, type Message, ZERO_USAGE } from './messages.ts';
import type { BranchChange, LastTurn, StoredSession } from './ports.ts';
import type { SummarySettings } from './summary/summary-settings.ts';
import type { TurnRecord } from './turn-record.ts';
import { repairWindow, trimWindow, trimWindowToBytes } from './window.ts';

export interface WindowSettings {
  /** Messages kept per session (whole turns only). */
  windowMessages: number;
  /** Tokens of history kept per session (whole turns only; counts from the model, turn-tokens.ts). */
  windowTokens?: number;
  /** Turns that leave the window are folded into a rolling summary after `done` (summary/fold-summary.ts). */
  summary?: SummarySettings;
  /**
   * Largest stored window, in bytes of its JSON, so the session item stays well under DynamoDB's 400 KB item
   * limit whatever the turns hold (the newest turn is always kept; it is capped on its own, see TurnSettings).
   */
  maxWindowBytes: number;
  /** Sliding expiry: every saved turn moves `expiresAt` this far ahead. */
  sessionTtlSeconds: number;
}

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

/**
 * A new session as it is claimed for its owner before its first answer streams (docs/decisions/0018): empty,
 * version 0, and expiring like a session, so an abandoned claim goes away on its own.
 */
export function claimedSession(
  sessionId: string,
  ownerId: string | undefined,
  nowMs: number,
  ttlSeconds: number,
): StoredSession {
  return { ...createSession(sessionId, ownerId, nowMs), expiresAt: Math.floor(nowMs / 1000) + ttlSeconds };
}

/** Stores and AWS keep expired items for a while after `expiresAt`; such a session counts as gone. */
export function isExpired(session: StoredSession, nowMs: number): boolean {
  return session.expiresAt > 0 && session.expiresAt * 1000 <= nowMs;
}

/** The last turn, if it was cut short. */
export function interruptedTurnOf(session: StoredSession): LastTurn | undefined {
  return session.lastTurn && INTERRUPTED_STOP_REASONS.has(session.lastTurn.stopReason)
    ? session.lastTurn
    : undefined;
}

/** The session with a turn recorded: window repaired and trimmed, usage summed, expiry pushed out. */
export function applyTurn(
  session: StoredSession,
  record: TurnRecord,
  nowMs: number,
  settings: WindowSettings,
): StoredSession {
  return {
    ...session,
    version: session.version + 1,
    turns: session.turns + (record.isNewTurn ? 1 : 0),
    // Repair merges a resumed answer into the partial one it continues (two assistant messages in a row).
    messages: markStopped(
      trimWindowToBytes(
        trimToWindow(repairWindow([...session.messages, ...record.messages]), settings),
        settings.maxWindowBytes,
      ),
      record.lastTurn,
    ),
    usage: addUsage(session.usage, record.usage),
    costMicroUsd: (session.costMicroUsd ?? 0) + record.costMicroUsd,
    updatedAt: new Date(nowMs).toISOString(),
    expiresAt: Math.floor(nowMs / 1000) + settings.sessionTtlSeconds,
    lastTurn: record.lastTurn,
  };
}

/**
 * The session with a record applied, as `applyTurn`; a new version of an earlier turn first leaves the branch
 * from that turn's active version on, which the save stores apart in the same transaction (decision 27).
 * Throws TurnNotInWindowError when no version of that turn is in the window any more.
 */
export function applyRecord(
  session: StoredSession,
  record: TurnRecord,
  nowMs: number,
  settings: WindowSettings,
): { session: StoredSession; branch?: BranchChange } {
  if (record.replaces === undefined) return { session: applyTurn(session, record, nowMs, settings) };
  const at = activeVersionAt(session, record.replaces);
  if (at === -1) throw new TurnNotInWindowError();
  const cut = leaveBranchAt(session, at, record.lastTurn.turnId);
  const next = applyTurn(cut.session, record, nowMs, settings);
  return { session: next, branch: { leave: { ...cut.branch.leave, expiresAt: next.expiresAt } } };
}

/**
 * The turn's question says whether its answer was cut short, so every stopped answer keeps its marker after a
 * reload (not only the last one); a resume that finishes the answer clears it.
 */
function markStopped(messages: Message[], turn: LastTurn): Message[] {
  const stopped = INTERRUPTED_STOP_REASONS.has(turn.stopReason);
  return messages.map((message) => {
    if (message.turnId !== turn.turnId || message.role !== 'user') return message;
    const { stopReason: _previous, ...question } = message;
    return stopped ? { ...question, stopReason: turn.stopReason } : question;
  });
}

/**
 * Whether the session already holds what the record would add: its question (a new turn), or its run (a
 * continuation). A save whose outcome was unknown may have landed before a retry's did.
 */
export function holdsRecord(session: StoredSession, record: TurnRecord): boolean {
  if (!record.isNewTurn) return session.lastTurn?.runId === record.lastTurn.runId;
  const { turnId } = record.lastTurn;
  // A new version may have been left for another since it was saved: it is still recorded.
  return session.messages.some((message) => message.turnId === turnId) || isVersion(session, turnId);
}

/**
 * Throws unless `userId` may use this stored session now: it must be theirs (when it has an owner) and not
 * expired. Ownership is checked first, so a stranger learns nothing, not even that it expired.
 */
export function assertUsable(session: StoredSession, userId: string | undefined, nowMs: number): void {
  if (session.ownerId !== undefined && session.ownerId !== userId) throw new ForbiddenError();
  if (isExpired(session, nowMs)) throw new SessionExpiredError();
}

/**
 * The window a save keeps. With summaries on, turns beyond the window stay until a summary folds them (a failed
 * summary loses nothing), up to PENDING_FOLD_FACTOR times the window, which bounds the session item.
 */
export function trimToWindow(messages: Message[], settings: WindowSettings): Message[] {
  const factor = settings.summary ? PENDING_FOLD_FACTOR : 1;
  return trimWindow(messages, settings.windowMessages * factor, (settings.windowTokens ?? Infinity) * factor);
}

/** How far past the window turns may wait for a summary that keeps failing before the oldest are dropped. */
export const PENDING_FOLD_FACTOR = 3;
