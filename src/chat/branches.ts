/**
 * Versions of a turn (regenerated answers, edited questions) as branches of one conversation
 * (docs/decisions/0027). The session's window holds the active branch, which is all the model ever sees; the
 * session lists every turn's versions; a branch that was left is stored apart, from its first turn on.
 */
import { AnswerStreamingError } from './errors.ts';
import { isTurnStart, type Message } from './messages.ts';
import type {
  BranchChange,
  SessionStore,
  StoredBranch,
  StoredSession,
  StoredTurn,
  TurnStore,
} from './ports.ts';

/** The versions of turn `turnId`, oldest first: itself alone when it has no others. */
export function versionsOf(session: StoredSession, turnId: string): string[] {
  return session.versions?.find((versions) => versions.includes(turnId)) ?? [turnId];
}

/** Whether the session recorded turn `turnId` as one of a turn's versions (in the window or left). */
export function isVersion(session: StoredSession, turnId: string): boolean {
  return session.versions?.some((versions) => versions.includes(turnId)) ?? false;
}

/**
 * Where in the window the active version of turn `turnId` starts (the index of its question), or -1 when no
 * version of it is in the window: folded into the summary, trimmed away, or never a turn of this session.
 */
export function activeVersionAt(session: StoredSession, turnId: string): number {
  const versions = new Set(versionsOf(session, turnId));
  return session.messages.findIndex(
    (message) => isTurnStart(message) && message.turnId !== undefined && versions.has(message.turnId),
  );
}

/** Per question in the window with more than one version: which one it is (0-based) of how many. */
export function siblingsByTurn(session: StoredSession): Map<string, { index: number; count: number }> {
  const siblings = new Map<string, { index: number; count: number }>();
  for (const versions of session.versions ?? []) {
    versions.forEach((turnId, index) => {
      siblings.set(turnId, { index, count: versions.length });
    });
  }
  return siblings;
}

/**
 * The session cut at the question at `at` (the branch from there on is left, to be stored apart) with turn
 * `newTurnId` listed as a new version of the turn asked there. The caller appends the new version's messages.
 */
export function leaveBranchAt(
  session: StoredSession,
  at: number,
  newTurnId: string,
): { session: StoredSession; branch: BranchChange } {
  const left = leftBranch(session, at);
  const versions = session.versions ?? [];
  const listed = versions.some((group) => group.includes(left.turnId));
  return {
    session: {
      ...session,
      messages: session.messages.slice(0, at),
      versions: listed
        ? versions.map((group) => (group.includes(left.turnId) ? [...group, newTurnId] : group))
        : [...versions, [left.turnId, newTurnId]],
      ...lastTurnAfterLeaving(session, left),
    },
    branch: { leave: left },
  };
}

/**
 * The session with the stored branch `restored` in the window instead of the branch that starts at `at`, which
 * is left: a switch to another version of the turn asked there. The caller saves it with the branch change.
 */
export function switchBranchAt(
  session: StoredSession,
  at: number,
  restored: StoredBranch,
): { session: StoredSession; branch: BranchChange } {
  const left = leftBranch(session, at);
  return {
    session: {
      ...session,
      messages: [...session.messages.slice(0, at), ...restored.messages],
      ...lastTurnAfterLeaving(session, left),
      ...(restored.lastTurn ? { lastTurn: restored.lastTurn } : {}),
    },
    branch: { leave: left, takeUp: restored.turnId },
  };
}

/** The branch from the question at `at` to the end of the window, as it is stored when left. */
function leftBranch(session: StoredSession, at: number): StoredBranch {
  const messages = session.messages.slice(at);
  const turnId = messages[0]?.turnId;
  if (turnId === undefined) throw new Error(`no question with a turn id at ${at}`);
  const holdsLast = messages.some((message) => message.turnId === session.lastTurn?.turnId);
  return {
    turnId,
    messages,
    ...(holdsLast && session.lastTurn ? { lastTurn: session.lastTurn } : {}),
    expiresAt: session.expiresAt,
  };
}

/** The session's last turn goes with the branch that holds it; the window then has none until another turn. */
function lastTurnAfterLeaving(session: StoredSession, left: StoredBranch): Pick<StoredSession, 'lastTurn'> {
  return { lastTurn: left.lastTurn ? undefined : session.lastTurn };
}

/**
 * Throws AnswerStreamingError while a turn of the session other than `ownTurnId` may still be streaming: its
 * lease runs and the session has not recorded it. A branch made then would cut the window under that answer.
 * Of two branch requests at once, the one claimed first goes on (a later claim is not waited for); should both
 * get past this, the second save re-applies on top of the first and both are versions (session.ts).
 */
export async function assertNothingStreaming(
  stores: { turns: TurnStore; sessions: SessionStore },
  session: StoredSession,
  nowMs: number,
  ownTurnId?: string,
): Promise<void> {
  const leased = await stores.turns.leased(session.sessionId, nowMs);
  const own = leased.find((turn) => turn.turnId === ownTurnId);
  let streaming = leased.filter(
    (turn) =>
      turn.turnId !== ownTurnId && !isRecordedRun(session, turn) && (!own || claimedBefore(turn, own)),
  );
  // A turn recorded on a branch that was left since is no longer in the window: look there (rarely needed).
  if (streaming.length > 0) {
    const left = await turnsOfLeftBranches(stores.sessions, session);
    streaming = streaming.filter((turn) => !left.has(turn.turnId));
  }
  if (streaming.length > 0) throw new AnswerStreamingError();
}

function claimedBefore(turn: StoredTurn, own: StoredTurn): boolean {
  return turn.createdAt < own.createdAt || (turn.createdAt === own.createdAt && turn.turnId < own.turnId);
}

async function turnsOfLeftBranches(sessions: SessionStore, session: StoredSession): Promise<Set<string>> {
  const active = new Set(session.messages.map((message) => message.turnId));
  const left = (session.versions ?? []).flat().filter((turnId) => !active.has(turnId));
  const branches = await Promise.all(left.map((turnId) => sessions.loadBranch(session.sessionId, turnId)));
  return new Set(
    branches.flatMap((branch) => branch?.messages.flatMap((message) => message.turnId ?? []) ?? []),
  );
}

function isRecordedRun(session: StoredSession, turn: { turnId: string; runId: string }): boolean {
  // The last turn may be resumed: only the run that recorded it is done.
  if (session.lastTurn?.turnId === turn.turnId) {
    return session.lastTurn.runId === undefined || session.lastTurn.runId === turn.runId;
  }
  return inWindow(session.messages, turn.turnId) || isVersion(session, turn.turnId);
}

function inWindow(messages: readonly Message[], turnId: string): boolean {
  return messages.some((message) => message.turnId === turnId);
}
