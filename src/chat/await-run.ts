import type { Clock, SessionStore, StoredSession, StoredTurn, TurnStore } from './ports.ts';
import { isHeld } from './turn-lease.ts';

/** How waiting for another run of a turn ended. */
export type AwaitedRun =
  /** The session holds what the run was to record. */
  | { outcome: 'recorded'; session: StoredSession }
  /** The run ended without recording (it failed, or its Lambda died): the turn may be taken over from it. */
  | { outcome: 'free'; session: StoredSession | undefined; turn: StoredTurn }
  /** The turn's item is gone (a refused request's claim was removed). */
  | { outcome: 'gone'; session: StoredSession | undefined }
  /** Still running at the caller's deadline. */
  | { outcome: 'busy' };

/**
 * Waits while another run holds a turn (a retried turn id, the second of two resumes): looks at the session and
 * the turn's item every `pollMs` until the session holds the run's record, or the run's lease ends, or
 * `deadlineAt` (epoch ms) comes.
 */
export async function awaitOtherRun(
  deps: { sessions: SessionStore; turns: TurnStore; clock: Clock },
  options: {
    sessionId: string;
    turnId: string;
    isRecorded: (session: StoredSession) => boolean;
    pollMs: number;
    deadlineAt: number;
  },
): Promise<AwaitedRun> {
  for (;;) {
    const [session, turn] = await Promise.all([
      deps.sessions.load(options.sessionId),
      deps.turns.find(options.sessionId, options.turnId),
    ]);
    if (session && options.isRecorded(session)) return { outcome: 'recorded', session };
    if (!turn) return { outcome: 'gone', session };
    const now = deps.clock.now();
    if (!isHeld(turn, now)) return { outcome: 'free', session, turn };
    if (now + options.pollMs > options.deadlineAt) return { outcome: 'busy' };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}
