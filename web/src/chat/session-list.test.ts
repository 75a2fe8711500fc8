import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../../src/protocol/server-frame.ts';
import { createSessionList, sessionLabel, updateSessionList } from './session-list.ts';

const summary = (sessionId: string, title?: string): SessionSummary => ({
  sessionId,
  ...(title ? { title } : {}),
  turns: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('updateSessionList', () => {
  it('appends the next page, without repeating a session, and keeps its cursor', () => {
    let list = updateSessionList(createSessionList(), { type: 'pageRequested', query: '', more: false });
    list = updateSessionList(list, {
      type: 'frameReceived',
      frame: { type: 'sessions', sessionId: null, sessions: [summary('a'), summary('b')], cursor: 'c1' },
    });
    expect(list).toMatchObject({ loading: false, loaded: true, cursor: 'c1' });
    list = updateSessionList(list, { type: 'pageRequested', query: '', more: true });
    list = updateSessionList(list, {
      type: 'frameReceived',
      frame: { type: 'sessions', sessionId: null, sessions: [summary('b'), summary('c')] },
    });
    expect(list.sessions.map((session) => session.sessionId)).toEqual(['a', 'b', 'c']);
    expect(list.cursor).toBeUndefined();
  });

  it('ignores a page of another search than the one shown', () => {
    let list = updateSessionList(createSessionList(), {
      type: 'pageRequested',
      query: 'tulips',
      more: false,
    });
    list = updateSessionList(list, {
      type: 'frameReceived',
      frame: { type: 'sessions', sessionId: null, sessions: [summary('a')] },
    });
    expect(list).toMatchObject({ sessions: [], loading: true, query: 'tulips' });
  });

  it('renames, removes and moves sessions to the top as frames and questions come', () => {
    let list = updateSessionList(createSessionList(), {
      type: 'frameReceived',
      frame: { type: 'sessions', sessionId: null, sessions: [summary('a'), summary('b')] },
    });
    list = updateSessionList(list, {
      type: 'frameReceived',
      frame: { type: 'sessionUpdated', sessionId: 'b', title: 'Tulips' },
    });
    list = updateSessionList(list, { type: 'activity', sessionId: 'b', at: '2026-02-01T00:00:00.000Z' });
    list = updateSessionList(list, { type: 'activity', sessionId: 'new', at: '2026-02-02T00:00:00.000Z' });
    expect(list.sessions.map(sessionLabel)).toEqual(['Untitled chat', 'Tulips', 'Untitled chat']);
    list = updateSessionList(list, {
      type: 'frameReceived',
      frame: { type: 'sessionDeleted', sessionId: 'b' },
    });
    expect(list.sessions.map((session) => session.sessionId)).toEqual(['new', 'a']);
  });
});
