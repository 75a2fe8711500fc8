import { RESUMABLE_STOP_REASONS } from '../protocol/stop-reasons.ts';
import { awaitOtherRun } from './await-run.ts';
import { ForbiddenError, TurnInProgressError } from './errors.ts';
import { systemBlocksOf } from './memory/system-blocks.ts';
import { isTurnStart, type Message, userText } from './messages.ts';
import { ANONYMOUS_USER, type Reply, type StoredSession, type StoredTurn } from './ports.ts';
import { historyFrameOf, sendHistory, unstoredHistoryFrame } from './read-history.ts';
import { replayAnswer, replayPart } from './replay-answer.ts';
import { assertUsable } from './session.ts';
import { type StoredAnswer, storedAnswerOf, storedTurnOf } from './stored-answer.ts';
import { streamTurn } from './stream-turn.ts';
import type { TurnDependencies, TurnSummary } from './turn.ts';
import { DEFAULT_LEASE_MS, newLease, turnClaim } from './turn-lease.ts';
import { mayUseTurn } from './turn-ownership.ts';
import { recordContinuation } from './turn-record.ts';
import { jsonBytes, repairWindow } from './window.ts';

export interface ResumeRequest {
  sessionId: string;
  turnId: string;
  userId?: string;
  /** The caller's connection, as data: it counts the caller's model calls when there is no user (auth off). */
  connectionId: string;
  /** Time left before the Lambda deadline. */
  remainingTimeMs?: () => number;
  /** Where the history and the rest of the answer go. */
  reply: Reply;
}

export interface ResumeSettings {
  /** How long to wait for the old run of the turn to stop and record itself. */
  waitMs: number;
  pollMs: number;
}

/**
 * Continues an answer cut off when the client's old connection dropped. The client gets a `history` frame (the
 * answer so far, `interruptedTurn.lastSeq`), then the rest of the answer as frames of the same turn with higher
 * `seq`, then `done`. If the old run is still going (it has not noticed the drop yet), it is asked to stop and
 * awaited. A turn that cannot be continued (finished, cancelled, unknown) just gets the `history` frame.
 *
 * One resume per turn at a time: the run that continues it takes the turn's lease over from the run that
 * recorded the partial answer, and counts against the user's rate limit (it calls the model). A second resume
 * at the same time (another tab) gets the history and then, once the first has recorded it, the rest of the
 * stored answer, so both assemble the same text.
 */
export async function resumeTurn(
  deps: TurnDependencies,
  request: ResumeRequest,
  settings: ResumeSettings,
): Promise<TurnSummary | undefined> {
  const requestedAt = performance.now();
  const { sessionId, turnId, userId } = request;
  let [session, turn] = await Promise.all([
    deps.sessions.load(sessionId),
    deps.turns.find(sessionId, turnId),
  ]);
  if (session) assertUsable(session, userId, deps.clock.now());
  if (turn && !mayUseTurn(turn, userId)) throw new ForbiddenError();
  if (!session) {
    await sendHistory(request.reply, unstoredHistoryFrame(sessionId, userId, deps.clock));
    return undefined;
  }

  if (session.lastTurn?.turnId !== turnId && turn) {
    // The old run has not recorded itself yet (it has not noticed its client left): ask it to stop, and wait.
    await deps.turns.requestStop(sessionId, turnId, userId, {
      reason: 'client_gone',
      requestedAt: deps.clock.now(),
    });
    const awaited = await awaitOtherRun(deps, {
      sessionId,
      turnId,
      isRecorded: (current) => current.lastTurn?.turnId === turnId,
      pollMs: settings.pollMs,
      deadlineAt: deps.clock.now() + settings.waitMs,
    });
    if (awaited.outcome !== 'busy') session = awaited.session ?? session;
    if (awaited.outcome === 'recorded') turn = await deps.turns.find(sessionId, turnId);
  }
  const interrupted = session.lastTurn;
  if (interrupted?.turnId !== turnId || !RESUMABLE_STOP_REASONS.has(interrupted.stopReason)) {
    await sendHistory(request.reply, historyFrameOf(session));
    return undefined;
  }
  return continueAnswer(deps, request, { session, turn, requestedAt, settings });
}

/**
 * Takes the turn over from the run that recorded the partial answer and streams the rest; or, when another
 * resume took it first, waits for that one and replays what it added.
 */
async function continueAnswer(
  deps: TurnDependencies,
  request: ResumeRequest,
  state: {
    session: StoredSession;
    turn: StoredTurn | undefined;
    requestedAt: number;
    settings: ResumeSettings;
  },
): Promise<TurnSummary> {
  const { sessionId, turnId, userId, reply } = request;
  const { requestedAt } = state;
  let session = state.session;
  // The next frame's seq, and the answer as far as this client has been sent it.
  let nextSeq = (session.lastTurn?.lastSeq ?? -1) + 1;
  let shown = storedAnswerOf(session, turnId) as StoredAnswer;
  let historySent = false;
  const sendHistoryOnce = async () => {
    if (!historySent) await sendHistory(reply, historyFrameOf(session));
    historySent = true;
  };
  // The run to take over from: the one that recorded the partial answer (older sessions do not say).
  let from = session.lastTurn?.runId ?? state.turn?.runId;

  for (;;) {
    const lease = newLease(deps, request.remainingTimeMs);
    const won =
      from === undefined
        ? await deps.turns.claim(
            turnClaim({
              sessionId,
              turnId,
              ownerId: userId,
              lease,
              nowMs: deps.clock.now(),
              ttlSeconds: deps.settings.sessionTtlSeconds,
            }),
          )
        : await deps.turns.takeOver(sessionId, turnId, from, lease);
    if (won) {
      // A resume is a model call: it counts like a turn, and it reads the user's memories like one.
      const [memories] = await Promise.all([
        deps.memories.list(session.ownerId ?? ANONYMOUS_USER),
        deps.rateLimiter.acquire(userId ?? `connection:${request.connectionId}`),
      ]).catch(async (error: unknown) => {
        await deps.turns.release(sessionId, turnId, lease.runId).catch(() => undefined);
        throw error;
      });
      await sendHistoryOnce();
      return streamTurn(deps, {
        reply,
        turnId,
        runId: lease.runId,
        session,
        system: systemBlocksOf(memories, session.summary),
        conversation: continuationRequest(session.messages),
        // The answer so far keeps its passage numbers: the rest cites on from them.
        earlierInTurn: (storedTurnOf(session, turnId) ?? []).slice(1),
        firstSeq: nextSeq,
        requestedAt,
        remainingTimeMs: request.remainingTimeMs,
        record: recordContinuation(turnId, deps.settings.prices),
        maxAnswerBytes: deps.settings.maxTurnBytes - turnBytesOf(session, turnId),
      });
    }

    // Another resume holds the turn: this client gets the history now, and the rest once it is recorded.
    await sendHistoryOnce();
    const holder = await deps.turns.find(sessionId, turnId);
    if (!holder) throw new TurnInProgressError();
    const awaited = await awaitOtherRun(deps, {
      sessionId,
      turnId,
      isRecorded: (current) => current.lastTurn?.runId === holder.runId,
      pollMs: state.settings.pollMs,
      deadlineAt:
        deps.clock.now() + (request.remainingTimeMs?.() ?? DEFAULT_LEASE_MS) - deps.settings.deadlineMarginMs,
    });
    if (awaited.outcome === 'recorded') {
      const stored = storedAnswerOf(awaited.session, turnId) ?? shown;
      const rest = { reply, sessionId, turnId, firstSeq: nextSeq, answer: restOf(stored, shown) };
      if (!RESUMABLE_STOP_REASONS.has(stored.stopReason)) return replayAnswer(deps, { ...rest, requestedAt });
      // That run was cut off too (its client had gone: the same user reconnecting again): this client gets
      // what it added, then this resume takes the turn over from it and continues the answer.
      nextSeq = await replayPart(deps, rest);
      session = awaited.session;
      shown = stored;
      from = holder.runId;
      continue;
    }
    if (awaited.outcome !== 'free') throw new TurnInProgressError();
    // The other resume failed without recording anything: this one takes over from it.
    from = awaited.turn.runId;
  }
}

/** What a stored answer adds to the part of it a client was shown. */
function restOf(stored: StoredAnswer, shown: StoredAnswer): StoredAnswer {
  return {
    text: stored.text.startsWith(shown.text) ? stored.text.slice(shown.text.length) : stored.text,
    tools: stored.tools.slice(shown.tools.length),
    stopReason: stored.stopReason,
    // The whole answer's: a citation in the part shown before still names its passage.
    sources: stored.sources,
  };
}

/** The stored size of the turn being continued: its question and its answer so far. */
function turnBytesOf(session: StoredSession, turnId: string): number {
  const { messages } = session;
  const start = messages.findLastIndex((message) => message.turnId === turnId);
  return jsonBytes(messages.slice(start === -1 ? Math.max(0, messages.findLastIndex(isTurnStart)) : start));
}

/**
 * The stored window plus, when it ends with the partial answer, a request to continue it. Newer models
 * refuse a conversation that ends with an assistant message (prefill), so the request is a user message;
 * it is sent, never stored: the continuation is saved as part of the same answer.
 */
export function continuationRequest(messages: readonly Message[]): Message[] {
  const window = repairWindow(messages);
  return window.at(-1)?.role === 'assistant' ? [...window, userText(CONTINUE_INSTRUCTION)] : window;
}

export const CONTINUE_INSTRUCTION =
  'Your previous answer was cut off by a connection problem. Continue it exactly where it stopped, without repeating anything.';
