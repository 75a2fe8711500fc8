import { describe, expect, it } from 'vitest';
import type { HistoryFrame, ServerFrame } from '../../../src/protocol/server-frame.ts';
import { cutOffHistory, framesFor, historyFrame, unstoredHistory } from '../testing/fake-socket.ts';
import {
  CONVERSATION_GONE_NOTICE,
  type ConversationEvent,
  type ConversationState,
  createConversation,
  updateConversation,
} from './conversation.ts';

const SESSION = '6f1c2a43-5a55-4a4e-9f43-5d1b1f0c7a10';
const TURN = '0b7f2c1e-8d4a-4c59-b1d4-3e2f6a9c8d70';
const turn = framesFor(SESSION, TURN);

const SERVER_FRAME_TYPES = new Set(['status', 'token', 'done', 'error', 'history']);

/** Plays events and server frames, in order, from `state`. */
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

const loaded = () => play(createConversation(SESSION), historyFrame(SESSION, []));
/** The history was asked for and has not come yet. */
const loading = () => play(createConversation(SESSION), { type: 'historyRequested' });
const asking = (question = 'Why is the sky blue?') =>
  play(loaded(), { type: 'questionSent', turnId: TURN, question });
const answerOf = (state: ConversationState) => state.messages.at(-1);

describe('a turn', () => {
  it('shows the question and an empty answer as soon as it is sent', () => {
    const state = asking('Why is the sky blue?');

    expect(state.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'Why is the sky blue?'],
      ['assistant', ''],
    ]);
    expect(state.turn).toMatchObject({ turnId: TURN, lastSeq: -1 });
  });

  it('appends tokens in seq order and ends the turn on done', () => {
    const state = play(asking(), turn.token(0, 'Rayleigh'), turn.token(1, ' scattering.'), turn.done(2));

    expect(answerOf(state)?.text).toBe('Rayleigh scattering.');
    expect(state.turn).toBeUndefined();
  });

  it('drops a frame whose seq was already applied', () => {
    const state = play(asking(), turn.token(0, 'One'), turn.token(1, ' two'), turn.token(1, ' two'));

    expect(answerOf(state)?.text).toBe('One two');
  });

  it('holds a frame that arrives early until the gap before it is filled', () => {
    const early = play(asking(), turn.token(0, 'A'), turn.token(2, 'C'));
    expect(answerOf(early)?.text).toBe('A');

    const filled = play(early, turn.token(1, 'B'), turn.done(3));
    expect(answerOf(filled)?.text).toBe('ABC');
    expect(filled.turn).toBeUndefined();
  });

  it('shows the running tool and keeps the tools used on the answer', () => {
    const running = play(asking(), turn.status(0, 'kb_lookup', 'Searching knowledge base…'));
    expect(running.turn?.tool).toEqual({ name: 'kb_lookup', status: 'Searching knowledge base…' });

    const answered = play(running, turn.token(1, 'According to the knowledge base…'));
    expect(answered.turn?.tool).toBeUndefined();
    expect(answerOf(answered)?.tools).toEqual(['kb_lookup']);
  });

  it('ignores frames of another turn and of a chat left behind', () => {
    const other = framesFor(SESSION, 'c3a1e0a2-5a0e-4a7b-9d8e-0f1e2d3c4b5a');
    const oldChat = framesFor('9d7e6f5a-4b3c-4d2e-8f1a-0b9c8d7e6f5a', TURN);

    const state = play(asking(), other.token(0, 'not mine'), oldChat.token(0, 'not this chat'));

    expect(answerOf(state)?.text).toBe('');
  });

  it('records why an answer stopped early', () => {
    const state = play(
      asking(),
      turn.token(0, 'Partial'),
      { type: 'stopRequested' },
      turn.done(1, 'cancelled'),
    );

    expect(answerOf(state)).toMatchObject({ text: 'Partial', stopReason: 'cancelled' });
    expect(state.turn).toBeUndefined();
  });
});

describe('history', () => {
  it('shows the stored conversation when it arrives', () => {
    const state = play(
      createConversation(SESSION),
      historyFrame(SESSION, [
        { role: 'user', text: 'Hi' },
        { role: 'assistant', text: 'Hello!', tools: ['kb_lookup'] },
      ]),
    );

    expect(state.loaded).toBe(true);
    expect(state.messages.map((m) => [m.role, m.text, m.tools])).toEqual([
      ['user', 'Hi', []],
      ['assistant', 'Hello!', ['kb_lookup']],
    ]);
  });

  it('marks the last answer with how it was cut short, named by its turn so it can be continued', () => {
    const state = play(
      createConversation(SESSION),
      cutOffHistory(SESSION, 'Hi', 'Hel', { turnId: TURN, stopReason: 'timeout', lastSeq: 4 }),
    );

    expect(answerOf(state)).toMatchObject({ id: TURN, stopReason: 'timeout' });
  });

  it('says so when the server no longer has the conversation shown (a reset dev database)', () => {
    const shown = play(
      createConversation(SESSION),
      historyFrame(SESSION, [
        { role: 'user', text: 'Hi' },
        { role: 'assistant', text: 'Hello!' },
      ]),
      { type: 'connectionLost' },
    );

    const state = play(shown, unstoredHistory(SESSION));

    expect(state.messages).toEqual([]);
    expect(state.notice).toBe(CONVERSATION_GONE_NOTICE);
  });

  it('says an answer picked up after a reload cannot be continued when its conversation is gone', () => {
    const state = play(createConversation(SESSION, TURN), unstoredHistory(SESSION));

    expect(state.turn).toBeUndefined();
    expect(state.loaded).toBe(true);
    expect(state.notice).toBe(CONVERSATION_GONE_NOTICE);
  });

  it('opens a new chat, which nothing is stored for yet, without a notice', () => {
    expect(play(createConversation(SESSION), unstoredHistory(SESSION)).notice).toBeUndefined();
  });

  it('keeps a turn sent before the history arrived below the history', () => {
    const early = play(createConversation(SESSION), { type: 'questionSent', turnId: TURN, question: 'New?' });

    const state = play(
      early,
      historyFrame(SESSION, [
        { role: 'user', text: 'Old' },
        { role: 'assistant', text: 'Yes' },
      ]),
    );

    expect(state.messages.map((m) => m.text)).toEqual(['Old', 'Yes', 'New?', '']);
    expect(state.turn?.turnId).toBe(TURN);
  });
});

describe('a dropped connection', () => {
  it('continues the answer from the history resume sends, without repeating or losing a word', () => {
    const beforeDrop = play(asking('Count'), turn.token(0, 'one'), turn.token(1, ' two'));
    const dropped = play(beforeDrop, { type: 'connectionLost' });
    expect(dropped.turn?.detached).toBe(true);

    // The server said " three" too, but the frame was lost with the connection; history holds it.
    const resumed = play(
      dropped,
      cutOffHistory(SESSION, 'Count', 'one two three', {
        turnId: TURN,
        stopReason: 'client_gone',
        lastSeq: 3,
      }),
      turn.token(3, ' three (again)'),
      turn.token(4, ' four'),
      turn.done(5),
    );

    expect(resumed.messages.map((m) => m.text)).toEqual(['Count', 'one two three four']);
    expect(answerOf(resumed)?.stopReason).toBe('end_turn');
    expect(resumed.turn).toBeUndefined();
  });

  it('waits for the history before applying frames of the resumed answer', () => {
    const dropped = play(asking('Count'), turn.token(0, 'one'), { type: 'connectionLost' });

    const resumed = play(
      dropped,
      turn.token(3, ' three'),
      cutOffHistory(SESSION, 'Count', 'one two', { turnId: TURN, stopReason: 'client_gone', lastSeq: 2 }),
    );

    expect(answerOf(resumed)?.text).toBe('one two three');
  });

  it('ends the turn when the history shows it finished while the connection was down', () => {
    const dropped = play(asking('Hi'), turn.token(0, 'Hel'), { type: 'connectionLost' });

    const state = play(
      dropped,
      historyFrame(SESSION, [
        { role: 'user', text: 'Hi' },
        { role: 'assistant', text: 'Hello!' },
      ]),
    );

    expect(state.turn).toBeUndefined();
    expect(answerOf(state)?.text).toBe('Hello!');
    expect(state.problem).toBeUndefined();
  });

  it('offers to ask again when the question never reached the server', () => {
    const dropped = play(asking('Lost question'), { type: 'connectionLost' });

    const state = play(dropped, historyFrame(SESSION, []));

    expect(state.turn).toBeUndefined();
    expect(state.problem).toEqual({
      message: 'The connection dropped before your question was answered.',
      retryQuestion: 'Lost question',
      retryTurnId: TURN,
    });
  });

  it('sends the question again by itself when its answer had begun but the run was lost (a failed region)', () => {
    const dropped = play(asking('Where is my order?'), turn.token(0, 'Your'), { type: 'connectionLost' });

    // The region the client moved to has no trace of the turn: its run died with the other region.
    const state = play(dropped, historyFrame(SESSION, []));

    expect(state.turn).toBeUndefined();
    expect(state.problem).toEqual({
      message: 'The connection dropped before your question was answered.',
      retryQuestion: 'Where is my order?',
      retryTurnId: TURN,
      resendAtOnce: true,
    });
  });

  it('ends the answer at once when Stop is pressed while offline', () => {
    const dropped = play(asking(), turn.token(0, 'Partial'), { type: 'connectionLost' });

    const stopped = play(dropped, { type: 'stopRequested' });

    expect(stopped.turn).toBeUndefined();
    expect(answerOf(stopped)).toMatchObject({ text: 'Partial', stopReason: 'cancelled' });
  });

  it('ends an answer being stopped when the connection drops before done arrives', () => {
    const stopping = play(asking(), turn.token(0, 'Partial'), { type: 'stopRequested' });

    const state = play(stopping, { type: 'connectionLost' });

    expect(state.turn).toBeUndefined();
    expect(answerOf(state)?.stopReason).toBe('cancelled');
  });

  it('picks up the turn that was streaming before a reload', () => {
    const reloaded = createConversation(SESSION, TURN);
    expect(reloaded.turn).toMatchObject({ turnId: TURN, detached: true });

    const state = play(
      reloaded,
      cutOffHistory(SESSION, 'Q', 'Half', { turnId: TURN, stopReason: 'client_gone', lastSeq: 1 }),
      turn.token(2, ' and the rest'),
      turn.done(3),
    );

    expect(state.messages.map((m) => m.text)).toEqual(['Q', 'Half and the rest']);
  });
});

describe('errors', () => {
  it('ends the turn with the error in plain words and offers to retry when retrying may help', () => {
    const state = play(asking('Hello?'), {
      type: 'error',
      sessionId: SESSION,
      turnId: TURN,
      seq: 0,
      code: 'MODEL_THROTTLED',
      message: 'The model is busy right now. Try again in a few seconds.',
      retryable: true,
    });

    expect(state.turn).toBeUndefined();
    expect(state.problem).toEqual({
      message: 'The model is busy right now. Try again in a few seconds.',
      retryQuestion: 'Hello?',
      retryTurnId: TURN,
    });
    expect(state.messages).toEqual([expect.objectContaining({ text: 'Hello?', failed: true })]);
  });

  it('ends a turn that has not started when an error without a turn id answers it', () => {
    const state = play(asking(), {
      type: 'error',
      sessionId: SESSION,
      code: 'MESSAGE_TOO_LARGE',
      message: 'The message is too large.',
      retryable: false,
    });

    expect(state.turn).toBeUndefined();
    expect(state.problem).toEqual({ message: 'The message is too large.' });
  });

  it('ends an answer whose resume failed as cut off, so it can be continued later', () => {
    const dropped = play(asking(), turn.token(0, 'Partial'), { type: 'connectionLost' });

    const state = play(dropped, {
      type: 'error',
      sessionId: SESSION,
      code: 'STORAGE_UNAVAILABLE',
      message: 'The chat history is unavailable right now.',
      retryable: true,
    });

    expect(state.turn).toBeUndefined();
    expect(answerOf(state)).toMatchObject({ text: 'Partial', stopReason: 'client_gone' });
    expect(state.problem).toEqual({ message: 'The chat history is unavailable right now.' });
  });

  it('drops the failed turn from the view when the next question is sent', () => {
    const failed = play(asking('First'), turn.token(0, 'Half'), {
      type: 'error',
      sessionId: SESSION,
      turnId: TURN,
      seq: 1,
      code: 'MODEL_STREAM_ERROR',
      message: 'The answer broke off.',
      retryable: true,
    });

    const next = play(failed, {
      type: 'questionSent',
      turnId: 'e0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b',
      question: 'First',
    });

    expect(next.messages.map((m) => m.text)).toEqual(['First', '']);
    expect(next.problem).toBeUndefined();
  });
});

it('starts an empty, loaded conversation for a new session, with a notice when there is one', () => {
  const state = play(asking(), {
    type: 'sessionStarted',
    sessionId: 'new-session',
    notice: 'A new chat has started.',
  });

  expect(state).toEqual({
    sessionId: 'new-session',
    messages: [],
    loaded: true,
    loading: false,
    notice: 'A new chat has started.',
  });
});

describe('loading the conversation', () => {
  it('is loading from the moment the history is asked for until it arrives', () => {
    expect(loading()).toMatchObject({ loading: true, loaded: false });

    expect(play(loading(), historyFrame(SESSION, []))).toMatchObject({ loading: false, loaded: true });
  });

  it('says so when the server fails to load it, offering to load it again', () => {
    const failed = play(loading(), { type: 'requestFailed' });

    expect(failed).toMatchObject({ loading: false, loaded: false });
    expect(failed.problem).toEqual({
      message: 'Your conversation could not be loaded: the server failed.',
      retry: 'load',
    });
    const again = play(failed, { type: 'historyRequested' });
    expect(again).toMatchObject({ loading: true, problem: undefined });
  });

  it('offers to load it again after a retryable error frame, such as storage being unavailable', () => {
    const failed = play(loading(), {
      type: 'error',
      sessionId: SESSION,
      code: 'STORAGE_UNAVAILABLE',
      message: 'The chat history is unavailable right now.',
      retryable: true,
    });

    expect(failed).toMatchObject({ loading: false, loaded: false });
    expect(failed.problem).toEqual({ message: 'The chat history is unavailable right now.', retry: 'load' });
  });

  it('gives up a history that does not come in time, and offers to load it again', () => {
    const silent = play(loading(), { type: 'waitTimedOut', wait: 'load' });

    expect(silent.loading).toBe(false);
    expect(silent.problem).toEqual({
      message: 'Your conversation did not load: the server has not answered.',
      retry: 'load',
    });
  });

  it('ignores a deadline for a history that has already arrived', () => {
    const state = play(loading(), historyFrame(SESSION, []));

    expect(play(state, { type: 'waitTimedOut', wait: 'load' })).toEqual(state);
  });

  it('ends an answer whose resume failed on the server as cut off, so Continue can resume it later', () => {
    const dropped = play(asking('Count'), turn.token(0, 'one'), { type: 'connectionLost' });
    const resuming = play(dropped, { type: 'historyRequested' });

    const failed = play(resuming, { type: 'requestFailed' });

    expect(failed.turn).toBeUndefined();
    expect(answerOf(failed)).toMatchObject({ text: 'one', stopReason: 'client_gone' });
    expect(failed.problem).toEqual({ message: 'Your conversation could not be loaded: the server failed.' });
  });

  it('after a reload mid-answer whose resume fails, offers to load the conversation again', () => {
    const reloaded = play(createConversation(SESSION, TURN), { type: 'historyRequested' });

    const failed = play(reloaded, { type: 'waitTimedOut', wait: 'load' });

    expect(failed.turn).toBeUndefined();
    expect(failed.problem?.retry).toBe('load');
  });
});

describe('a question asked while the conversation loads', () => {
  it('waits, and leaves the queue when it is sent as a turn', () => {
    const queued = play(loading(), { type: 'questionQueued', question: 'Early bird?' });
    expect(queued.queued).toBe('Early bird?');

    const sent = play(queued, historyFrame(SESSION, []), {
      type: 'questionSent',
      turnId: TURN,
      question: 'Early bird?',
    });

    expect(sent.queued).toBeUndefined();
    expect(sent.messages.map((m) => m.text)).toEqual(['Early bird?', '']);
  });

  it('stays queued through a failed load, and into a new chat', () => {
    const queued = play(loading(), { type: 'questionQueued', question: 'Still here?' });

    const failed = play(queued, { type: 'requestFailed' });
    expect(failed.queued).toBe('Still here?');
    expect(play(failed, { type: 'sessionStarted', sessionId: 'new-session' }).queued).toBe('Still here?');
  });
});

describe('a failed or silent Lambda', () => {
  it('ends the running answer when the server fails, keeping what was said and offering to ask again', () => {
    const state = play(asking('Hello?'), turn.token(0, 'Hel'), { type: 'requestFailed' });

    expect(state.turn).toBeUndefined();
    expect(state.messages).toEqual([
      expect.objectContaining({ text: 'Hello?', failed: true }),
      expect.objectContaining({ text: 'Hel', failed: true }),
    ]);
    expect(state.problem).toEqual({
      message: 'The server failed while answering.',
      retryQuestion: 'Hello?',
      retryTurnId: TURN,
    });
  });

  it('gives up an answer that has gone silent, and offers to ask again', () => {
    const state = play(asking('Hello?'), { type: 'waitTimedOut', wait: 'answer' });

    expect(state.turn).toBeUndefined();
    expect(state.problem).toEqual({
      message: 'The answer stopped coming: the server has not sent anything for a while.',
      retryQuestion: 'Hello?',
      retryTurnId: TURN,
    });
  });

  it('lets Stop be pressed again when the stop request fails, and the answer goes on meanwhile', () => {
    const stopping = play(asking(), turn.token(0, 'One'), { type: 'stopRequested' });

    const failed = play(stopping, { type: 'requestFailed' });

    expect(failed.turn).toMatchObject({ turnId: TURN, stopping: false });
    expect(failed.problem).toEqual({
      message: 'Stop did not reach the server because it failed; the answer goes on.',
      retry: 'stop',
    });
    expect(answerOf(play(failed, turn.token(1, ' two')))?.text).toBe('One two');
    expect(play(failed, { type: 'stopRequested' })).toMatchObject({
      turn: { stopping: true },
      problem: undefined,
    });
  });

  it('offers Stop again when the server has not confirmed it in time', () => {
    const stopping = play(asking(), { type: 'stopRequested' });

    const state = play(stopping, { type: 'waitTimedOut', wait: 'stop' });

    expect(state.turn?.stopping).toBe(false);
    expect(state.problem).toEqual({
      message: 'The answer has not stopped: the server has not confirmed it.',
      retry: 'stop',
    });
  });

  it('ignores deadlines of waits that are over', () => {
    const done = play(asking(), turn.token(0, 'Done.'), turn.done(1));

    for (const wait of ['load', 'answer', 'stop'] as const) {
      expect(play(done, { type: 'waitTimedOut', wait })).toEqual(done);
    }
  });

  it('says so in plain words when a request fails while nothing is awaited', () => {
    expect(play(loaded(), { type: 'requestFailed' }).problem).toEqual({
      message: 'The server failed to handle a request. Try again in a moment.',
    });
  });
});

describe('Stop freezes the answer', () => {
  it('holds the frames that come after Stop, and drops those the server did not keep', () => {
    const stopping = play(asking(), turn.token(0, 'Shown'), { type: 'stopRequested' });
    const held = play(stopping, turn.status(1, 'kb_lookup', 'Searching…'), turn.token(2, ' unseen'));
    expect(answerOf(held)).toMatchObject({ text: 'Shown', tools: [] });

    const done = play(held, turn.done(3, 'cancelled', { keptThroughSeq: 0 }));

    expect(answerOf(done)).toMatchObject({ text: 'Shown', tools: [], stopReason: 'cancelled' });
    expect(done.turn).toBeUndefined();
  });

  it('shows the held frames when the answer ended before the stop reached the server', () => {
    const stopping = play(asking(), turn.token(0, 'All'), { type: 'stopRequested' }, turn.token(1, ' of it'));

    const done = play(stopping, turn.done(2, 'end_turn'));

    expect(answerOf(done)).toMatchObject({ text: 'All of it', stopReason: 'end_turn' });
  });

  it('shows the held frames when the stop fails, as the answer goes on', () => {
    const stopping = play(asking(), turn.token(0, 'One'), { type: 'stopRequested' }, turn.token(1, ' two'));

    const failed = play(stopping, { type: 'requestFailed' });

    expect(answerOf(failed)?.text).toBe('One two');
    expect(answerOf(play(failed, turn.token(2, ' three')))?.text).toBe('One two three');
  });
});

describe('a history in parts', () => {
  it('redraws the conversation once every part has arrived', () => {
    const whole = historyFrame(SESSION, [
      { role: 'user', text: 'First question' },
      { role: 'assistant', text: 'First answer' },
      { role: 'user', text: 'Second question' },
      { role: 'assistant', text: 'Second answer' },
    ]) as HistoryFrame;
    const parts = [
      { ...whole, messages: whole.messages.slice(0, 2), part: 0, parts: 2 },
      { ...whole, messages: whole.messages.slice(2), part: 1, parts: 2 },
    ];
    const requested = play(createConversation(SESSION), { type: 'historyRequested' });

    const half = play(requested, parts[0] as ServerFrame);
    expect(half).toMatchObject({ loaded: false, loading: true, messages: [] });

    const state = play(half, parts[1] as ServerFrame);
    expect(state.loaded).toBe(true);
    expect(state.messages.map((message) => message.text)).toEqual([
      'First question',
      'First answer',
      'Second question',
      'Second answer',
    ]);
  });
});
