import { SessionConflictError, VersionConflictError } from './errors.ts';
import type { Clock, SessionStore, StoredSession } from './ports.ts';
import { applyTurn, createSession, type WindowSettings } from './session.ts';
import type { TurnRecord } from './turn-record.ts';

export interface SaveTurnOptions {
  sessions: SessionStore;
  clock: Clock;
  settings: WindowSettings & {
    /** Conditional-write attempts before a SESSION_CONFLICT error. */
    saveAttempts: number;
  };
  onConflict?: (attempt: number) => void;
}

/**
 * Optimistic concurrency: writes the record if nobody else wrote since the session was loaded; otherwise
 * reloads and re-applies it on top of theirs, so two tabs sending at once both get their turns recorded.
 * Returns the session as saved.
 */
export async function saveTurn(
  options: SaveTurnOptions,
  loaded: StoredSession,
  record: TurnRecord,
): Promise<StoredSession> {
  const { sessions, clock, settings } = options;
  let current = loaded;
  for (let attempt = 1; ; attempt++) {
    const next = applyTurn(current, record, clock.now(), settings);
    try {
      await sessions.save(next, current.version);
      return next;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      options.onConflict?.(attempt);
      if (attempt >= settings.saveAttempts) throw new SessionConflictError(error);
      await sleep(Math.random() * 20 * attempt);
      current =
        (await sessions.load(loaded.sessionId)) ??
        createSession(loaded.sessionId, loaded.ownerId, clock.now());
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
