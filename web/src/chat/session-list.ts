import type { ServerFrame, SessionSummary } from '../../../src/protocol/server-frame.ts';

/** The sidebar's list of conversations: pages of `sessions` frames, kept current by the frames that change it. */
export interface SessionListState {
  sessions: SessionSummary[];
  /** The next page's cursor; undefined once the last page is in. */
  cursor?: string;
  /** The search the list shows ('' for all). */
  query: string;
  /** A page was asked for and has not arrived. */
  loading: boolean;
  /** At least one page of the current query arrived. */
  loaded: boolean;
}

export type SessionListEvent =
  | { type: 'pageRequested'; query: string; more: boolean }
  | { type: 'frameReceived'; frame: ServerFrame }
  /** A question was sent in a session: it moves to the top (it may be new, and untitled yet). */
  | { type: 'activity'; sessionId: string; at: string };

export function createSessionList(): SessionListState {
  return { sessions: [], query: '', loading: false, loaded: false };
}

/** The list after one event. Pure, so paging, search and updates are unit-tested. */
export function updateSessionList(state: SessionListState, event: SessionListEvent): SessionListState {
  switch (event.type) {
    case 'pageRequested':
      return event.more
        ? { ...state, loading: true }
        : { sessions: [], query: event.query, loading: true, loaded: false };
    case 'activity':
      return touch(state, event.sessionId, event.at);
    case 'frameReceived':
      return receive(state, event.frame);
  }
}

function receive(state: SessionListState, frame: ServerFrame): SessionListState {
  switch (frame.type) {
    case 'sessions': {
      // A page of another search than the one shown now is stale.
      if ((frame.query ?? '') !== state.query) return state;
      const known = new Set(state.sessions.map((session) => session.sessionId));
      return {
        ...state,
        sessions: [...state.sessions, ...frame.sessions.filter((session) => !known.has(session.sessionId))],
        cursor: frame.cursor,
        loading: false,
        loaded: true,
      };
    }
    case 'sessionUpdated':
      return {
        ...state,
        sessions: state.sessions.map((session) =>
          session.sessionId === frame.sessionId ? { ...session, title: frame.title } : session,
        ),
      };
    case 'sessionDeleted':
      return {
        ...state,
        sessions: state.sessions.filter((session) => session.sessionId !== frame.sessionId),
      };
    default:
      return state;
  }
}

function touch(state: SessionListState, sessionId: string, at: string): SessionListState {
  // A search shows what matched; a question does not change what it matched until the list is asked again.
  if (state.query !== '') return state;
  const existing = state.sessions.find((session) => session.sessionId === sessionId);
  const updated: SessionSummary = existing
    ? { ...existing, updatedAt: at }
    : { sessionId, turns: 0, createdAt: at, updatedAt: at };
  return {
    ...state,
    sessions: [updated, ...state.sessions.filter((session) => session.sessionId !== sessionId)],
  };
}

/** What the sidebar calls a session: its title, else "Untitled chat" until one is generated. */
export function sessionLabel(session: Pick<SessionSummary, 'title'>): string {
  return session.title ?? 'Untitled chat';
}
