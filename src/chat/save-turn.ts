import {
  SessionConflictError,
  SessionExpiredError,
  StorageUnavailableError,
  VersionConflictError,
} from './errors.ts';
import type { Clock, SessionStore, StoredSession } from './ports.ts';
import { applyRecord, createSession, holdsRecord, type WindowSettings } from './session.ts';
import type { TurnRecord } from './turn-record.ts';

export interface SaveTurnOptions {
  sessions: SessionStore;
  clock: Clock;
  settings: WindowSettings & {
    /** Conditional-write attempts before a SESSION_CONFLICT error. */
    saveAttempts: number;
  };
  onConflict?: (attempt: number) => void;
  /** Aborts when the Lambda deadline is too near to wait longer for storage. */
  signal?: AbortSignal;
}

/**
 * Optimistic concurrency: writes the record if nobody else wrote since the session was loaded; otherwise
 * reloads and re-applies it on top of theirs, so two tabs sending at once both get their turns recorded. A
 * record the reloaded session already holds (an earlier attempt of the same turn landed after all) is not
 * applied twice. Returns the session as saved.
 *
 * A storage failure here leaves the outcome unknown (a write that timed out may still land), which the error
 * says: the client retries with the same turn id and gets the stored answer if there is one.
 */
export async function saveTurn(
  options: SaveTurnOptions,
  loaded: StoredSession,
  record: TurnRecord,
): Promise<StoredSession> {
  const { sessions, clock, settings, signal } = options;
  let current = loaded;
  for (let attempt = 1; ; attempt++) {
    const { session: next, branch } = applyRecord(current, record, clock.now(), settings);
    try {
      await sessions.save(next, current.version, { signal, ...(branch ? { branch } : {}) });
      return next;
    } catch (error) {
      if (error instanceof StorageUnavailableError) {
        throw new StorageUnavailableError(error.cause, { unconfirmedSave: true });
      }
      if (!(error instanceof VersionConflictError)) throw error;
      options.onConflict?.(attempt);
      if (attempt >= settings.saveAttempts) throw new SessionConflictError(error);
      await sleep(Math.random() * 20 * attempt);
      const reloaded = await sessions.load(loaded.sessionId, { signal });
      // A stored session that is gone was deleted (deleteSession) while this turn ran: it stays deleted.
      if (!reloaded && loaded.version > 0) throw new SessionExpiredError();
      current = reloaded ?? createSession(loaded.sessionId, loaded.ownerId, clock.now());
      if (holdsRecord(current, record)) return current;
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
