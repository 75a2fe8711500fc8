/** Where the chat keeps its session id (shared by the tabs) and the turn a tab is receiving (per tab). */
export interface SessionStore {
  /** The current session id, created on first use. */
  sessionId(): string;
  /** Forgets the current session and returns a new id (New chat, or an expired session). */
  startNew(): string;
  /** Makes `sessionId` the current session (picked in the list of conversations). */
  open(sessionId: string): void;
  /** The turn this tab was receiving when it was reloaded, so the answer can be resumed. */
  activeTurnId(): string | undefined;
  rememberActiveTurn(turnId: string | undefined): void;
}

const SESSION_KEY = 'chat.sessionId';
const ACTIVE_TURN_KEY = 'chat.activeTurn';

/**
 * A SessionStore over Web Storage: the session id in `localStorage` (it survives a reload and a restart),
 * the active turn in `sessionStorage` (per tab, so one tab's reload never takes over another tab's answer).
 */
export function createSessionStore(
  shared: Storage,
  perTab: Storage,
  newId: () => string = () => crypto.randomUUID(),
): SessionStore {
  const startNew = () => {
    const id = newId();
    shared.setItem(SESSION_KEY, id);
    perTab.removeItem(ACTIVE_TURN_KEY);
    return id;
  };
  return {
    sessionId: () => shared.getItem(SESSION_KEY) ?? startNew(),
    startNew,
    open: (sessionId) => shared.setItem(SESSION_KEY, sessionId),
    activeTurnId: () => {
      const saved = parseActiveTurn(perTab.getItem(ACTIVE_TURN_KEY));
      return saved?.sessionId === shared.getItem(SESSION_KEY) ? saved?.turnId : undefined;
    },
    rememberActiveTurn: (turnId) => {
      const sessionId = shared.getItem(SESSION_KEY);
      if (turnId && sessionId) perTab.setItem(ACTIVE_TURN_KEY, JSON.stringify({ sessionId, turnId }));
      else perTab.removeItem(ACTIVE_TURN_KEY);
    },
  };
}

function parseActiveTurn(saved: string | null): { sessionId: string; turnId: string } | undefined {
  try {
    const value = JSON.parse(saved ?? 'null');
    return typeof value?.sessionId === 'string' && typeof value?.turnId === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
