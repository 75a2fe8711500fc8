/**
 * The ports of the list of conversations and of feedback (docs/decisions/0023). Adapters in
 * `src/adapters/` implement them; nothing here imports an SDK.
 */
import type { FeedbackRating, SessionSummary } from '../protocol/server-frame.ts';

export interface SessionPage {
  sessions: SessionSummary[];
  /** Opaque; absent on the last page. */
  cursor?: string;
}

export interface SessionListQuery {
  /** A previous page's cursor. Throws InvalidCursorError for one this owner's listing did not hand out. */
  cursor?: string;
  /** Lower-case text the title or the stored text must contain. */
  query?: string;
  limit: number;
  /** Sessions whose `expiresAt` is past are left out (DynamoDB deletes expired items late). */
  nowMs: number;
}

/** The sessions of each owner, newest activity first, read from an index by owner (never a scan). */
export interface SessionDirectory {
  list(ownerKey: string, query: SessionListQuery): Promise<SessionPage>;
  /**
   * Sets the session's title if it still belongs to `ownerId` (`onlyIfUntitled`: unless it has one, so a
   * generated title never replaces the user's). Moves the session's version on, so a turn saving at the same
   * moment reloads rather than writing the old title back. False when nothing was written.
   */
  setTitle(
    sessionId: string,
    ownerId: string | undefined,
    title: string,
    options?: { onlyIfUntitled?: boolean },
  ): Promise<boolean>;
  /** Deletes every item of the session (its state, its turns and what they carry); idempotent. */
  deleteAll(sessionId: string, ownerId: string | undefined): Promise<void>;
}

export interface StoredFeedback {
  rating: FeedbackRating;
  comment?: string;
  /** Epoch ms. */
  at: number;
}

/** Feedback stored with its turn (the `TURN#<turnId>` item of decision 18). */
export interface FeedbackStore {
  /**
   * Stores (or replaces) the feedback on the turn, answering with the feedback it replaced; 'absent' when the
   * turn has no item.
   */
  record(
    sessionId: string,
    turnId: string,
    feedback: StoredFeedback,
  ): Promise<{ replaced?: StoredFeedback } | 'absent'>;
  /** Every turn of the session that has feedback. */
  forSession(sessionId: string): Promise<Map<string, StoredFeedback>>;
}

/** Whose list a session is in: its owner, or everyone's when auth is off. */
export const ANONYMOUS_OWNER_KEY = 'anonymous';
