import type { AttachmentReference } from '../protocol/client-frame.ts';
import { checkAttachments } from './attachments.ts';
import { awaitOtherRun } from './await-run.ts';
import { activeVersionAt, assertNothingStreaming, versionsOf } from './branches.ts';
import {
  ForbiddenError,
  SessionConflictError,
  TurnInProgressError,
  TurnNotFoundError,
  TurnNotInWindowError,
  UploadsUnavailableError,
} from './errors.ts';
import { systemBlocksOf } from './memory/system-blocks.ts';
import { type AttachmentBlock, isAttachmentBlock, isTurnStart, type Message, userText } from './messages.ts';
import { ANONYMOUS_USER, type Memory, type Reply, type StoredSession, type TurnLease } from './ports.ts';
import { replayAnswer } from './replay-answer.ts';
import { assertUsable, claimedSession } from './session.ts';
import { storedAnswerOf } from './stored-answer.ts';
import { streamTurn } from './stream-turn.ts';
import type { TurnDependencies, TurnSummary } from './turn.ts';
import { DEFAULT_LEASE_MS, newLease, turnClaim } from './turn-lease.ts';
import { mayUseTurn } from './turn-ownership.ts';
import { recordNewTurn } from './turn-record.ts';
import { jsonBytes, repairWindow } from './window.ts';

export interface TurnRequest {
  sessionId: string;
  message: string;
  /** Files attached to the question: the caller's uploads, checked before a new turn streams (attachments.ts). */
  attachments?: readonly AttachmentReference[];
  /** The authenticated user; absent when auth is off. */
  userId?: string;
  /** The caller's connection, as data: it counts the caller's turns when there is no user (auth off). */
  connectionId: string;
  /** Sent by the client, which reuses it when it retries: a turn id is answered once (docs/decisions/0018). */
  turnId?: string;
  /** Time left before the Lambda deadline. */
  remainingTimeMs?: () => number;
  /** Where the answer goes. */
  reply: Reply;
  /**
   * Set for a new version of an earlier turn instead of a new turn (regenerate, editMessage; decision 27):
   * `of` names that turn (absent: the last turn in the window). With `sameQuestion` its question is asked
   * again and `message` is ignored; otherwise `message` replaces it (its files stay).
   */
  version?: { of?: string; sameQuestion: boolean };
}

/**
 * One chat turn: claim the turn (and a new session) for its user, stream the model's answer (running tools as
 * asked) to the client, record the whole exchange with one conditional write, then send `done`. A turn is
 * recorded whole or not at all; an interrupted answer is recorded as far as it got and marked, so `resume`
 * can continue it. A turn id already answered gets its stored answer again; one still being answered waits
 * for it; one whose run failed runs again.
 *
 * Throws (before anything is streamed) when the user is over their turn rate, for a foreign or expired
 * session or turn, or when storage is unreachable; a refused request leaves no claim behind.
 */
export async function runTurn(deps: TurnDependencies, request: TurnRequest): Promise<TurnSummary> {
  const requestedAt = performance.now();
  const { sessionId, userId } = request;
  const turnId = request.turnId ?? (deps.newId ?? crypto.randomUUID.bind(crypto))();
  const lease = newLease(deps, request.remainingTimeMs);
  const claimOf = (granted: TurnLease) =>
    turnClaim({
      sessionId,
      turnId,
      ownerId: userId,
      lease: granted,
      nowMs: deps.clock.now(),
      ttlSeconds: deps.settings.sessionTtlSeconds,
    });
  // The question's files are checked alongside, but only a turn that streams anew needs them: a replayed turn
  // id keeps its stored question (and its files, even if their uploads have expired since).
  const files = attachmentsOf(deps, request);
  files.catch(() => undefined);
  // The claim goes out with the session read and the rate limit, so it costs the first token no time.
  const [loaded, claimed, allowed, memories] = await Promise.allSettled([
    deps.sessions.load(sessionId),
    deps.turns.claim(claimOf(lease)),
    deps.rateLimiter.acquire(userId ?? `connection:${request.connectionId}`),
    deps.memories.list(userId ?? ANONYMOUS_USER),
  ]);
  const claimedNow = claimed.status === 'fulfilled' && claimed.value;

  let session: StoredSession;
  try {
    for (const settled of [loaded, allowed, claimed, memories]) {
      if (settled.status === 'rejected') throw settled.reason;
    }
    const stored = (loaded as PromiseFulfilledResult<StoredSession | undefined>).value;
    if (stored) assertUsable(stored, userId, deps.clock.now());
    // A new version needs a turn to be a version of: it never starts a session.
    if (request.version && !stored) throw new TurnNotFoundError();
    // A new turn's files are checked before a new session is claimed: refused files leave nothing stored.
    if (claimedNow) await files;
    session = stored ?? (await claimSession(deps, sessionId, userId));
  } catch (error) {
    if (claimedNow) await deps.turns.discard(sessionId, turnId, lease.runId).catch(() => undefined);
    throw error;
  }

  const turn = {
    deps,
    request,
    turnId,
    files,
    memories: (memories as PromiseFulfilledResult<Memory[]>).value,
    requestedAt,
  };
  if (claimedNow) return streamNewTurn(turn, session, lease);
  return answerClaimedTurn(turn, session, lease, claimOf);
}

interface NewTurn {
  deps: TurnDependencies;
  request: TurnRequest;
  turnId: string;
  /** The question's checked attachments. */
  files: Promise<AttachmentBlock[]>;
  /** The user's memories, for the system prompt. */
  memories: Memory[];
  requestedAt: number;
}

/**
 * Streams the turn as this run, the holder of its lease. Refused attachments end the run before anything
 * streams, and leave no claim behind.
 */
async function streamNewTurn(turn: NewTurn, session: StoredSession, lease: TurnLease): Promise<TurnSummary> {
  const { deps, request } = turn;
  let asked: Asked;
  try {
    asked = request.version
      ? await askAgain(deps, session, { ...request, version: request.version }, turn.turnId)
      : { question: userText(request.message, await turn.files), history: repairWindow(session.messages) };
  } catch (error) {
    await deps.turns.discard(request.sessionId, turn.turnId, lease.runId).catch(() => undefined);
    throw error;
  }
  const { question, history } = asked;
  return streamTurn(deps, {
    reply: request.reply,
    turnId: turn.turnId,
    runId: lease.runId,
    session,
    system: systemBlocksOf(turn.memories, session.summary),
    conversation: repairWindow([...history, question]),
    stableMessages: history.length,
    ...(asked.metadata ? { metadata: asked.metadata } : {}),
    firstSeq: 0,
    requestedAt: turn.requestedAt,
    remainingTimeMs: request.remainingTimeMs,
    record: recordNewTurn(turn.turnId, question, deps.settings.prices, asked.replaces),
    maxAnswerBytes: deps.settings.maxTurnBytes - jsonBytes({ ...question, turnId: turn.turnId }),
  });
}

/** What a turn asks the model: its question after the history the model sees. */
interface Asked {
  question: Message;
  history: Message[];
  /** A new version of this turn (decision 27). */
  replaces?: string;
  metadata?: Record<string, string>;
}

/**
 * A new version of an earlier turn: the history before that turn's active version, then its question again
 * (regenerate) or the edited one with the same files. Refused while another answer of the session streams,
 * and for a turn no longer in the window (the model could not be shown the branch).
 */
async function askAgain(
  deps: TurnDependencies,
  session: StoredSession,
  request: TurnRequest & { version: NonNullable<TurnRequest['version']> },
  turnId: string,
): Promise<Asked> {
  const { of, sameQuestion } = request.version;
  const at = of === undefined ? session.messages.findLastIndex(isTurnStart) : activeVersionAt(session, of);
  const earlier = session.messages[at];
  if (earlier?.turnId === undefined) {
    const known = of !== undefined && (await deps.turns.find(session.sessionId, of)) !== undefined;
    throw known ? new TurnNotInWindowError() : new TurnNotFoundError();
  }
  await assertNothingStreaming(deps, session, deps.clock.now(), turnId);
  const question: Message = sameQuestion
    ? { role: 'user', content: earlier.content }
    : userText(request.message, earlier.content.filter(isAttachmentBlock));
  // The same question again: the call says which answer this is (a label the model does not read).
  const answerVersion = String(versionsOf(session, earlier.turnId).length + 1);
  return {
    question,
    history: repairWindow(session.messages.slice(0, at)),
    replaces: earlier.turnId,
    ...(sameQuestion ? { metadata: { answerVersion } } : {}),
  };
}

/**
 * A turn id that was claimed before: a retry. Its stored answer is replayed; a run still holding it is waited
 * for; a run that failed or died is taken over and the turn runs again.
 */
async function answerClaimedTurn(
  turn: NewTurn,
  loaded: StoredSession,
  lease: TurnLease,
  claimOf: (lease: TurnLease) => ReturnType<typeof turnClaim>,
): Promise<TurnSummary> {
  const { deps, request, turnId } = turn;
  const { sessionId } = request;
  const deadlineAt =
    deps.clock.now() + (request.remainingTimeMs?.() ?? DEFAULT_LEASE_MS) - deps.settings.deadlineMarginMs;
  let session = loaded;
  for (;;) {
    const stored = storedAnswerOf(session, turnId);
    if (stored) {
      return replayAnswer(deps, {
        ...request,
        turnId,
        firstSeq: 0,
        answer: stored,
        requestedAt: turn.requestedAt,
      });
    }
    const awaited = await awaitOtherRun(deps, {
      sessionId,
      turnId,
      isRecorded: (current) => storedAnswerOf(current, turnId) !== undefined,
      pollMs: deps.settings.attachPollMs,
      deadlineAt,
    });
    if (awaited.outcome === 'busy') throw new TurnInProgressError();
    session = awaited.session ?? session;
    if (awaited.outcome === 'recorded') continue;
    if (awaited.outcome === 'gone') {
      if (await deps.turns.claim(claimOf(lease))) return streamNewTurn(turn, session, lease);
      continue;
    }
    if (!mayUseTurn(awaited.turn, request.userId)) throw new ForbiddenError();
    if (await deps.turns.takeOver(sessionId, turnId, awaited.turn.runId, lease)) {
      return streamNewTurn(turn, session, lease);
    }
  }
}

/**
 * Claims a session that does not exist yet for `userId` (a conditional create), before anything is streamed:
 * from then on only they may use it. If someone created it first, it must be theirs to use.
 */
async function claimSession(
  deps: TurnDependencies,
  sessionId: string,
  userId: string | undefined,
): Promise<StoredSession> {
  const claim = claimedSession(sessionId, userId, deps.clock.now(), deps.settings.sessionTtlSeconds);
  if (await deps.sessions.create(claim)) return claim;
  const existing = await deps.sessions.load(sessionId);
  if (!existing) throw new SessionConflictError();
  assertUsable(existing, userId, deps.clock.now());
  return existing;
}

/** The request's attachments checked against the caller's uploads; none when it has none. */
async function attachmentsOf(deps: TurnDependencies, request: TurnRequest): Promise<AttachmentBlock[]> {
  if (!request.attachments?.length) return [];
  if (!deps.attachments) throw new UploadsUnavailableError();
  return checkAttachments(deps.attachments, {
    userId: request.userId,
    sessionId: request.sessionId,
    attachments: request.attachments,
  });
}
