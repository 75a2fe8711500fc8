import { beforeEach, describe, expect, it } from 'vitest';
import { createSessionStore } from './session-store.ts';

let ids: number;
const store = () => createSessionStore(localStorage, sessionStorage, () => `id-${++ids}`);

beforeEach(() => {
  ids = 0;
  localStorage.clear();
  sessionStorage.clear();
});

describe('createSessionStore', () => {
  it('creates a session id on first use and keeps it across reloads', () => {
    const first = store().sessionId();

    expect(first).toBe('id-1');
    expect(store().sessionId()).toBe(first);
  });

  it('replaces the session id when a new chat starts', () => {
    const sessions = store();
    const old = sessions.sessionId();

    const next = sessions.startNew();

    expect(next).not.toBe(old);
    expect(store().sessionId()).toBe(next);
  });

  it('remembers the active turn of this tab for its session only', () => {
    const sessions = store();
    sessions.sessionId();
    sessions.rememberActiveTurn('turn-1');
    expect(store().activeTurnId()).toBe('turn-1');

    sessions.startNew();

    expect(store().activeTurnId()).toBeUndefined();
  });

  it('forgets the active turn once it ends, and ignores a corrupt entry', () => {
    const sessions = store();
    sessions.sessionId();
    sessions.rememberActiveTurn('turn-1');

    sessions.rememberActiveTurn(undefined);
    expect(sessions.activeTurnId()).toBeUndefined();

    sessionStorage.setItem('chat.activeTurn', '{not json');
    expect(sessions.activeTurnId()).toBeUndefined();
  });
});
