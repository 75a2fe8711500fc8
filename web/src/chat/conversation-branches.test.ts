import { describe, expect, it } from 'vitest';
import type { HistoryEntry, ServerFrame } from '../../../src/protocol/server-frame.ts';
import { framesFor, historyFrame } from '../testing/fake-socket.ts';
import {
  type ConversationEvent,
  type ConversationState,
  createConversation,
  updateConversation,
} from './conversation.ts';

const SESSION = '6f1c2a43-5a55-4a4e-9f43-5d1b1f0c7a10';
const A = '0b7f2c1e-8d4a-4c59-b1d4-3e2f6a9c8d70';
const B = '1b7f2c1e-8d4a-4c59-b1d4-3e2f6a9c8d71';
const NEW = '2b7f2c1e-8d4a-4c59-b1d4-3e2f6a9c8d72';

const SERVER_FRAME_TYPES = new Set(['token', 'done', 'error', 'history']);

function play(
  state: ConversationState,
  ...events: Array<ConversationEvent | ServerFrame>
): ConversationState {
  return events.reduce<ConversationState>(
    (current, event) =>
      updateConversation(
        current,
        SERVER_FRAME_TYPES.has(event.type)
          ? { type: 'frameReceived', frame: event as ServerFrame }
          : (event as ConversationEvent),
      ),
    state,
  );
}

const stored: HistoryEntry[] = [
  { role: 'user', text: 'first', turnId: A },
  { role: 'assistant', text: 'A1', turnId: A },
  { role: 'user', text: 'second', turnId: B, siblings: { index: 0, count: 2 } },
  { role: 'assistant', text: 'B1', turnId: B },
];
const loaded = () => play(createConversation(SESSION), historyFrame(SESSION, stored));
const view = (state: ConversationState) => state.messages.map((m) => `${m.role}:${m.text}`);

describe('versions of a turn (regenerate, edit, switch)', () => {
  it('keeps the versions a history names on its questions', () => {
    expect(loaded().messages[2]?.siblings).toEqual({ index: 0, count: 2 });
    expect(loaded().messages[0]?.siblings).toBeUndefined();
  });

  it('regenerate: the last answer makes way for the new version, which streams as the newest of three', () => {
    const state = play(loaded(), { type: 'versionSent', turnId: NEW, question: 'second', replaces: B });
    expect(view(state)).toEqual(['user:first', 'assistant:A1', 'user:second', 'assistant:']);
    expect(state.messages[2]).toMatchObject({ turnId: NEW, siblings: { index: 2, count: 3 } });
    expect(state.turn).toMatchObject({ turnId: NEW, version: true, detached: false });

    const turn = framesFor(SESSION, NEW);
    const done = play(state, turn.token(0, 'Take 3'), turn.done(1));
    expect(view(done).at(-1)).toBe('assistant:Take 3');
    expect(done.turn).toBeUndefined();
  });

  it('edit: the view is cut at the edited question; what followed it is on the branch left', () => {
    const state = play(loaded(), {
      type: 'versionSent',
      turnId: NEW,
      question: 'first, edited',
      replaces: A,
    });
    expect(view(state)).toEqual(['user:first, edited', 'assistant:']);
    expect(state.messages[0]?.siblings).toEqual({ index: 1, count: 2 });
  });

  it('a new version that fails is not kept: no retry of it as a question, the stored history comes back', () => {
    const state = play(loaded(), { type: 'versionSent', turnId: NEW, question: 'second', replaces: B });
    const failed = play(state, {
      type: 'error',
      sessionId: SESSION,
      turnId: NEW,
      code: 'TURN_IN_PROGRESS',
      message: 'An answer is still being written.',
      retryable: true,
    });
    expect(failed.turn).toBeUndefined();
    expect(failed.problem).toEqual({ message: 'An answer is still being written.' });
    const reloaded = play(failed, { type: 'historyRequested' }, historyFrame(SESSION, stored));
    expect(view(reloaded)).toEqual(['user:first', 'assistant:A1', 'user:second', 'assistant:B1']);
    // The problem stays readable after the history came back.
    expect(reloaded.problem?.message).toBe('An answer is still being written.');
  });

  it('a switch waits for its history, which replaces the view', () => {
    const waiting = play(loaded(), { type: 'branchSwitchRequested' });
    expect(waiting.loading).toBe(true);
    const other: HistoryEntry[] = [
      ...stored.slice(0, 2),
      { role: 'user', text: 'second, edited', turnId: NEW, siblings: { index: 1, count: 2 } },
      { role: 'assistant', text: 'B2', turnId: NEW },
    ];
    const switched = play(waiting, historyFrame(SESSION, other));
    expect(switched.loading).toBe(false);
    expect(view(switched).slice(2)).toEqual(['user:second, edited', 'assistant:B2']);
  });

  it('ignores a version of a question that is not in view (a stale page)', () => {
    const state = loaded();
    expect(play(state, { type: 'versionSent', turnId: NEW, question: 'x', replaces: 'nope' })).toBe(state);
  });
});
