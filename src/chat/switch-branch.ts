import type { HistoryFrame } from '../protocol/server-frame.ts';
import { activeVersionAt, assertNothingStreaming, switchBranchAt, versionsOf } from './branches.ts';
import type { FeedbackStore } from './conversation-ports.ts';
import {
  BranchNotFoundError,
  SessionConflictError,
  SessionExpiredError,
  TurnNotFoundError,
  TurnNotInWindowError,
  VersionConflictError,
} from './errors.ts';
import type { Clock, SessionStore, StoredSession, TurnStore } from './ports.ts';
import { historyFrameOf } from './read-history.ts';
import { assertUsable } from './session.ts';

/** Conditional-write attempts before a SESSION_CONFLICT error (another tab kept changing the session). */
const SWITCH_ATTEMPTS = 3;

/**
 * Makes version `index` of turn `turnId` the active branch (docs/decisions/0027): the branch from the turn's
 * active version on is stored apart, the chosen one's comes back into the window, in one transaction with the
 * session's version condition. Answers with the history as it now is. Switching is a view, not activity: the
 * session keeps its place in the list and its expiry. Refused while an answer of the session streams.
 */
export async function switchBranch(
  deps: { sessions: SessionStore; turns: TurnStore; feedback?: FeedbackStore; clock: Clock },
  request: { sessionId: string; turnId: string; index: number; userId?: string },
): Promise<HistoryFrame> {
  const { sessionId, turnId, index } = request;
  for (let attempt = 1; ; attempt++) {
    const session = await deps.sessions.load(sessionId);
    if (!session) throw new SessionExpiredError();
    assertUsable(session, request.userId, deps.clock.now());
    const at = activeVersionAt(session, turnId);
    const active = session.messages[at]?.turnId;
    if (active === undefined) {
      const known = (await deps.turns.find(sessionId, turnId)) !== undefined;
      throw known ? new TurnNotInWindowError() : new TurnNotFoundError();
    }
    const target = versionsOf(session, turnId)[index];
    if (target === undefined) throw new BranchNotFoundError();
    if (target === active) return historyOf(deps, session);
    await assertNothingStreaming(deps, session, deps.clock.now());
    const restored = await deps.sessions.loadBranch(sessionId, target);
    if (!restored) throw new BranchNotFoundError();
    const switched = switchBranchAt(session, at, restored);
    const next = { ...switched.session, version: session.version + 1 };
    try {
      await deps.sessions.save(next, session.version, { branch: switched.branch });
      return historyOf(deps, next);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      if (attempt >= SWITCH_ATTEMPTS) throw new SessionConflictError(error);
    }
  }
}

async function historyOf(deps: { feedback?: FeedbackStore }, session: StoredSession): Promise<HistoryFrame> {
  const rated = await deps.feedback?.forSession(session.sessionId);
  return historyFrameOf(session, rated);
}
