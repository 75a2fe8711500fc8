import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientFrame, SendMessageFrame } from '../../src/protocol/client-frame.ts';
import type { ServerFrame } from '../../src/protocol/server-frame.ts';
import { App, type AppProps } from './App.tsx';
import { createSessionStore } from './chat/session-store.ts';
import { NEW_SESSION_NOTICES } from './chat/use-chat.ts';
import {
  createFakeSockets,
  cutOffHistory,
  type FakeSocket,
  framesFor,
  historyFrame,
} from './testing/fake-socket.ts';

const SESSION = '6f1c2a43-5a55-4a4e-9f43-5d1b1f0c7a10';

afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
});

/** The app as the browser runs it, on fake sockets; storage survives between calls like a reload. */
function renderApp(props: Partial<AppProps> = {}) {
  localStorage.setItem('chat.sessionId', localStorage.getItem('chat.sessionId') ?? SESSION);
  const sockets = createFakeSockets();
  const view = render(
    <App
      getSocketUrl={async () => 'ws://chat.test'}
      store={createSessionStore(localStorage, sessionStorage)}
      createSocket={sockets.create}
      {...props}
    />,
  );
  return { sockets, view, user: userEvent.setup() };
}

/** Waits for a new socket and opens it; what it asks first (history or resume) is not answered yet. */
async function open(sockets: ReturnType<typeof createFakeSockets>): Promise<FakeSocket> {
  const socket = await waitFor(() => {
    const latest = sockets.latest();
    expect(latest.readyState).toBe(0); // a new socket, not open yet
    return latest;
  });
  act(() => socket.open());
  return socket;
}

/** Waits for a new socket, opens it and answers what it asked first (history or resume) with `history`. */
async function connect(
  sockets: ReturnType<typeof createFakeSockets>,
  history: ServerFrame = historyFrame(SESSION, []),
): Promise<FakeSocket> {
  const socket = await open(sockets);
  act(() => socket.receive(history));
  return socket;
}

/** API Gateway's frame for a request whose Lambda failed (threw, even at load, or timed out). */
const INTERNAL_SERVER_ERROR = '{"message":"Internal server error","connectionId":"c1=","requestId":"r1="}';

function receive(socket: FakeSocket, ...frames: ServerFrame[]) {
  act(() => socket.receive(...frames));
}

function lastSent(socket: FakeSocket): ClientFrame {
  const frame = socket.sentToConversation().at(-1);
  if (!frame) throw new Error('nothing was sent');
  return frame;
}

async function ask(user: ReturnType<typeof userEvent.setup>, socket: FakeSocket, question: string) {
  await user.type(screen.getByRole('textbox', { name: 'Message' }), `${question}{Enter}`);
  const frame = lastSent(socket) as SendMessageFrame;
  return { turnId: frame.turnId as string, frames: framesFor(SESSION, frame.turnId as string) };
}

const answers = () => screen.queryAllByRole('article', { name: 'Assistant' });
const lastAnswer = () => answers().at(-1) as HTMLElement;

describe('the chat', () => {
  it('asks for the stored history on connect and shows it, Markdown included', async () => {
    const { sockets } = renderApp();
    const socket = await connect(
      sockets,
      historyFrame(SESSION, [
        { role: 'user', text: 'How do I reset my password?' },
        { role: 'assistant', text: 'Open **Settings** and choose *Reset*.', tools: ['kb_lookup'] },
      ]),
    );

    expect(socket.sentToConversation()).toEqual([{ action: 'getHistory', sessionId: SESSION }]);
    expect(screen.getByText('How do I reset my password?')).toBeTruthy();
    expect(within(lastAnswer()).getByText('Settings').tagName).toBe('STRONG');
    expect(within(lastAnswer()).getByText('Knowledge base')).toBeTruthy();
    expect(screen.getByText('Connected')).toBeTruthy();
  });

  it('sends the question on Enter and streams the answer into place', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);

    const { turnId, frames } = await ask(user, socket, 'Why is the sky blue?');

    expect(lastSent(socket)).toEqual({
      action: 'sendMessage',
      sessionId: SESSION,
      message: 'Why is the sky blue?',
      turnId,
    });
    expect(screen.getByText('Why is the sky blue?')).toBeTruthy();
    expect(within(lastAnswer()).getByText('The assistant is thinking')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveProperty('disabled', true);

    receive(socket, frames.token(0, 'Because of'));
    expect(within(lastAnswer()).queryByText('The assistant is thinking')).toBeNull();
    expect(lastAnswer().textContent).toContain('Because of');

    receive(socket, frames.token(1, ' Rayleigh scattering.'), frames.done(2));
    expect(lastAnswer().textContent).toContain('Because of Rayleigh scattering.');
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveProperty('disabled', false);
  });

  it('adds a new line on Shift+Enter instead of sending', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);
    const input = screen.getByRole('textbox', { name: 'Message' });

    await user.type(input, 'first line{Shift>}{Enter}{/Shift}second line');

    expect(input).toHaveProperty('value', 'first line\nsecond line');
    expect(socket.sentToConversation().map((frame) => frame.action)).toEqual(['getHistory']);
  });

  it('shows what a running tool is doing and which tools the answer used', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);
    const { frames } = await ask(user, socket, 'How do I reset my password?');

    receive(socket, frames.status(0, 'kb_lookup', 'Searching knowledge base…'));
    expect(within(lastAnswer()).getByRole('status').textContent).toContain('Searching knowledge base…');

    receive(socket, frames.token(1, 'According to the knowledge base…'), frames.done(2));
    expect(within(lastAnswer()).getByRole('list', { name: 'Tools used' }).textContent).toBe('Knowledge base');
  });

  it('starts a conversation from a suggested question', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);

    await user.click(screen.getByRole('button', { name: 'What time is it in Tokyo?' }));

    expect(lastSent(socket)).toMatchObject({ action: 'sendMessage', message: 'What time is it in Tokyo?' });
  });
});

describe('stopping an answer', () => {
  it('sends cancel for the running turn and marks the answer as stopped when the server ends it', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);
    const { turnId, frames } = await ask(user, socket, '#tokens:400');
    receive(socket, frames.token(0, 'Streaming keeps'));

    await user.click(screen.getByRole('button', { name: 'Stop' }));

    // With the last seq it showed: the server keeps the answer as far as that.
    expect(lastSent(socket)).toEqual({ action: 'cancel', sessionId: SESSION, turnId, seenSeq: 0 });
    expect(screen.getByRole('button', { name: 'Stopping…' })).toHaveProperty('disabled', true);
    receive(socket, frames.done(1, 'cancelled'));
    expect(within(lastAnswer()).getByText('Stopped')).toBeTruthy();
    expect(lastAnswer().textContent).toContain('Streaming keeps');
  });

  it('freezes the answer the moment Stop is pressed, and keeps it as the server stored it', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);
    const { frames } = await ask(user, socket, '#tokens:400');
    receive(socket, frames.token(0, 'Shown'));

    await user.click(screen.getByRole('button', { name: 'Stop' }));
    receive(socket, frames.token(1, ' and not shown'));
    expect(lastAnswer().textContent).toContain('Shown');
    expect(lastAnswer().textContent).not.toContain('not shown');

    receive(socket, frames.done(2, 'cancelled', { keptThroughSeq: 0 }));
    expect(lastAnswer().textContent).not.toContain('not shown');
    expect(within(lastAnswer()).getByText('Stopped')).toBeTruthy();
  });

  it('stops on Escape and gives keyboard focus to Stop while answering, then back to the input', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);
    const { turnId, frames } = await ask(user, socket, 'Tell me a story');

    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Stop' }));
    await user.keyboard('{Escape}');
    expect(lastSent(socket)).toEqual({ action: 'cancel', sessionId: SESSION, turnId, seenSeq: -1 });

    receive(socket, frames.done(0, 'cancelled'));
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Message' }));
  });
});

describe('reconnecting', () => {
  it('resumes the answer on the new connection after a drop, showing each word once', async () => {
    const { sockets, user } = renderApp();
    const first = await connect(sockets);
    const { turnId, frames } = await ask(user, first, 'Count to five');
    receive(first, frames.token(0, 'one'), frames.token(1, ' two'));

    act(() => first.drop());
    expect(screen.getByText('Offline, reconnecting…')).toBeTruthy();
    expect(within(lastAnswer()).getByRole('status').textContent).toContain('Connection lost');

    await user.click(screen.getByRole('button', { name: 'Retry now' }));
    const second = await connect(
      sockets,
      cutOffHistory(SESSION, 'Count to five', 'one two three', {
        turnId,
        stopReason: 'client_gone',
        lastSeq: 3,
      }),
    );
    receive(second, frames.token(3, ' three'), frames.token(4, ' four five'), frames.done(5));

    expect(second.sentToConversation()).toEqual([{ action: 'resume', sessionId: SESSION, turnId }]);
    expect(lastAnswer().textContent).toContain('one two three four five');
    expect(lastAnswer().textContent).not.toContain('three three');
    expect(screen.getByText('Connected')).toBeTruthy();
  });

  it('after a reload, shows the history of the same session', async () => {
    const first = renderApp();
    await connect(first.sockets);
    first.view.unmount();

    const reloaded = renderApp();
    const socket = await connect(reloaded.sockets);

    expect(socket.sentToConversation()).toEqual([{ action: 'getHistory', sessionId: SESSION }]);
  });

  it('after a reload in the middle of an answer, resumes that answer', async () => {
    const first = renderApp();
    const socket = await connect(first.sockets);
    const { turnId } = await ask(first.user, socket, 'A long answer, please');
    first.view.unmount();

    const reloaded = renderApp();
    const resumed = await connect(
      reloaded.sockets,
      cutOffHistory(SESSION, 'A long answer, please', 'So far', {
        turnId,
        stopReason: 'client_gone',
        lastSeq: 2,
      }),
    );

    expect(resumed.sentToConversation()).toEqual([{ action: 'resume', sessionId: SESSION, turnId }]);
    receive(resumed, framesFor(SESSION, turnId).token(3, ', and the rest.'));
    expect(lastAnswer().textContent).toContain('So far, and the rest.');
  });

  it('continues an answer that was cut off, on request', async () => {
    const turnId = '0b7f2c1e-8d4a-4c59-b1d4-3e2f6a9c8d70';
    const { sockets, user } = renderApp();
    const socket = await connect(
      sockets,
      cutOffHistory(SESSION, 'Q', 'Half', { turnId, stopReason: 'timeout', lastSeq: 4 }),
    );
    expect(within(lastAnswer()).getByText(/took too long/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Continue' }));

    expect(lastSent(socket)).toEqual({ action: 'resume', sessionId: SESSION, turnId });
  });
});

describe('errors', () => {
  it('says what went wrong in plain words and sends the question again on retry', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);
    const { turnId } = await ask(user, socket, 'Hello?');

    receive(socket, {
      type: 'error',
      sessionId: SESSION,
      turnId,
      seq: 0,
      code: 'MODEL_THROTTLED',
      message: 'The model is busy right now. Try again in a few seconds.',
      retryable: true,
    });
    expect(screen.getByRole('alert').textContent).toContain('The model is busy right now.');

    await user.click(screen.getByRole('button', { name: 'Try again' }));

    expect(lastSent(socket)).toMatchObject({ action: 'sendMessage', message: 'Hello?' });
    // The same turn id: had the server stored the turn after all, it sends the stored answer, not a second one.
    expect((lastSent(socket) as SendMessageFrame).turnId).toBe(turnId);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getAllByText('Hello?')).toHaveLength(1);
  });

  it('starts a new session when the old one expired, says so, and asks the question there', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);
    await ask(user, socket, 'Still there?');

    receive(socket, {
      type: 'error',
      sessionId: SESSION,
      code: 'SESSION_EXPIRED',
      message: 'This session expired.',
      retryable: false,
    });

    const newSession = localStorage.getItem('chat.sessionId');
    expect(newSession).not.toBe(SESSION);
    expect(screen.getByText(NEW_SESSION_NOTICES.SESSION_EXPIRED as string)).toBeTruthy();
    expect(lastSent(socket)).toMatchObject({
      action: 'sendMessage',
      sessionId: newSession,
      message: 'Still there?',
    });
    expect(screen.getAllByText('Still there?')).toHaveLength(1);
  });

  it('starts a new session when the stored one belongs to another account', async () => {
    const { sockets } = renderApp();

    const socket = await connect(sockets, {
      type: 'error',
      sessionId: SESSION,
      code: 'FORBIDDEN',
      message: 'This session belongs to another user.',
      retryable: false,
    });

    expect(localStorage.getItem('chat.sessionId')).not.toBe(SESSION);
    expect(screen.getByText(NEW_SESSION_NOTICES.FORBIDDEN as string)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'How can I help?' })).toBeTruthy();
    expect(socket.sentToConversation()).toEqual([{ action: 'getHistory', sessionId: SESSION }]);
  });
});

describe('conversations', () => {
  it('New chat leaves the running answer streaming in its own chat, which is whole when opened again', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);
    const { turnId, frames } = await ask(user, socket, 'Something long');
    receive(socket, frames.token(0, 'Once '));

    await user.click(screen.getByRole('button', { name: 'New chat' }));

    expect(socket.sentActions()).not.toContain('cancel');
    expect(localStorage.getItem('chat.sessionId')).not.toBe(SESSION);
    expect(screen.getByRole('heading', { name: 'How can I help?' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveProperty('disabled', false);

    // The old chat's answer keeps arriving while another is shown.
    receive(socket, frames.token(1, 'upon a time.'), frames.done(2));
    expect(answers()).toHaveLength(0);

    const list = screen.getByRole('navigation', { name: 'Conversations' });
    await user.click(within(list).getByRole('button', { name: 'Untitled chat' }));

    expect(localStorage.getItem('chat.sessionId')).toBe(SESSION);
    expect(answers().at(-1)?.textContent).toContain('Once upon a time.');
    // Held, so it is not loaded again.
    expect(socket.sentActions().filter((action) => action === 'getHistory')).toHaveLength(1);
    expect(turnId).toBeTruthy();
  });

  it('lists, opens, renames and deletes conversations through the protocol', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);
    const other = '0b8f2f4e-6a0e-4c1a-9c47-2a9d3f1e5b11';
    expect(socket.sent).toContainEqual({ action: 'listSessions' });
    receive(socket, {
      type: 'sessions',
      sessionId: null,
      sessions: [
        { sessionId: SESSION, title: 'Passwords', turns: 1, createdAt: 'a', updatedAt: 'b' },
        { sessionId: other, title: 'Tokyo time', turns: 2, createdAt: 'a', updatedAt: 'a' },
      ],
    });
    const list = screen.getByRole('navigation', { name: 'Conversations' });
    expect(within(list).getByRole('button', { name: 'Passwords' }).getAttribute('aria-current')).toBe('page');

    await user.click(within(list).getByRole('button', { name: 'Tokyo time' }));
    expect(socket.sentToConversation().at(-1)).toEqual({ action: 'getHistory', sessionId: other });
    receive(
      socket,
      historyFrame(other, [
        { role: 'user', text: 'Time?' },
        { role: 'assistant', text: 'Noon.' },
      ]),
    );
    expect(answers().at(-1)?.textContent).toContain('Noon.');

    await user.click(within(list).getByRole('button', { name: 'Rename Tokyo time' }));
    const name = within(list).getByRole('textbox', { name: 'New name' });
    await user.clear(name);
    await user.type(name, 'Clocks{Enter}');
    expect(socket.sent.at(-1)).toEqual({ action: 'renameSession', sessionId: other, title: 'Clocks' });
    receive(socket, { type: 'sessionUpdated', sessionId: other, title: 'Clocks' });
    expect(within(list).getByRole('button', { name: 'Clocks' })).toBeTruthy();

    await user.click(within(list).getByRole('button', { name: 'Delete Clocks' }));
    await user.click(within(list).getByRole('button', { name: 'Delete' }));
    expect(socket.sent.at(-1)).toEqual({ action: 'deleteSession', sessionId: other });
    receive(socket, { type: 'sessionDeleted', sessionId: other });
    expect(within(list).queryByRole('button', { name: 'Clocks' })).toBeNull();
    // The deleted chat was the one shown: a new one starts.
    expect(localStorage.getItem('chat.sessionId')).not.toBe(other);
    expect(screen.getByRole('heading', { name: 'How can I help?' })).toBeTruthy();
  });

  it('rates an answer, and shows the stored rating and comment', async () => {
    const turnId = '7d7b8f0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e';
    const { sockets, user } = renderApp();
    const socket = await connect(
      sockets,
      historyFrame(SESSION, [
        { role: 'user', text: 'Hi', turnId },
        { role: 'assistant', text: 'Hello!', turnId, stopReason: 'cancelled' },
      ]),
    );
    // Every stopped answer keeps its marker after a reload, not only the last one.
    expect(answers().at(-1)?.textContent).toContain('Stopped');

    await user.click(screen.getByRole('button', { name: 'Bad answer' }));
    expect(socket.sent.at(-1)).toEqual({
      action: 'sendFeedback',
      sessionId: SESSION,
      turnId,
      rating: 'down',
    });
    await user.type(screen.getByRole('textbox', { name: 'Feedback comment (optional)' }), 'Too short{Enter}');
    expect(socket.sent.at(-1)).toEqual({
      action: 'sendFeedback',
      sessionId: SESSION,
      turnId,
      rating: 'down',
      comment: 'Too short',
    });
    receive(socket, { type: 'feedback', sessionId: SESSION, turnId, rating: 'down', comment: 'Too short' });
    expect(screen.getByRole('button', { name: 'Bad answer' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText('“Too short”')).toBeTruthy();
  });
});

describe('loading the conversation', () => {
  it('says Loading… until the conversation has loaded, then Connected', async () => {
    const { sockets } = renderApp();
    const socket = await open(sockets);

    expect(screen.getByText('Loading…').closest('[data-status]')?.getAttribute('data-status')).toBe(
      'loading',
    );
    expect(screen.queryByText('Connected')).toBeNull();
    expect(screen.getByText('Loading your conversation…')).toBeTruthy();

    receive(socket, historyFrame(SESSION, []));
    expect(screen.getByText('Connected')).toBeTruthy();
    expect(screen.queryByText('Loading…')).toBeNull();
  });

  it('keeps a question asked while it loads, and sends it once the history has arrived', async () => {
    const { sockets, user } = renderApp();
    const socket = await open(sockets);
    const input = screen.getByRole('textbox', { name: 'Message' });

    expect(screen.getByText(/Enter sends your question once it has loaded/)).toBeTruthy();
    await user.type(input, 'Asked early{Enter}');

    expect(socket.sentActions()).toEqual(['getHistory']);
    expect(input).toHaveProperty('value', '');
    expect(screen.getByText('Asked early')).toBeTruthy();
    expect(screen.getByText(/Waiting to send/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send' })).toHaveProperty('disabled', true);

    receive(
      socket,
      historyFrame(SESSION, [
        { role: 'user', text: 'Earlier' },
        { role: 'assistant', text: 'Earlier answer' },
      ]),
    );

    expect(lastSent(socket)).toMatchObject({ action: 'sendMessage', message: 'Asked early' });
    expect(screen.getAllByText('Asked early')).toHaveLength(1);
    expect(screen.queryByText(/Waiting to send/)).toBeNull();
    expect(screen.getAllByRole('article').map((article) => article.textContent)).toEqual([
      'Earlier',
      // The finished answer has its actions (Copy) under it.
      expect.stringContaining('Earlier answer'),
      'Asked early',
      expect.stringContaining('thinking'),
    ]);
  });

  it('says so when the server fails to load it, and loads it on Try again', async () => {
    const { sockets, user } = renderApp();
    const socket = await open(sockets);

    act(() => socket.receiveRaw(INTERNAL_SERVER_ERROR));

    expect(screen.getByRole('alert').textContent).toContain('Your conversation could not be loaded');
    expect(screen.getByText('Your conversation has not loaded.')).toBeTruthy();
    expect(screen.getByText('Connected')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Try again' }));

    expect(socket.sentActions()).toEqual(['getHistory', 'getHistory']);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('Loading…')).toBeTruthy();
    receive(socket, historyFrame(SESSION, [{ role: 'user', text: 'Back again' }]));
    expect(screen.getByText('Back again')).toBeTruthy();
  });

  it('stops waiting for a history that does not come, and loads it on Try again', async () => {
    const { sockets, user } = renderApp({ waitTimeoutsMs: { load: 50 } });
    const socket = await open(sockets);

    const alert = await screen.findByRole('alert');

    expect(alert.textContent).toContain('Your conversation did not load: the server has not answered.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(socket.sentActions()).toEqual(['getHistory', 'getHistory']);
  });
});

describe('a failed or silent Lambda', () => {
  it('ends the typing dots when the server fails mid-answer, and asks again on Try again', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);
    const { turnId } = await ask(user, socket, 'Are you there?');
    expect(within(lastAnswer()).getByText('The assistant is thinking')).toBeTruthy();

    act(() => socket.receiveRaw(INTERNAL_SERVER_ERROR));

    expect(screen.queryByText('The assistant is thinking')).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('The server failed while answering.');
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveProperty('disabled', false);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(lastSent(socket)).toMatchObject({ action: 'sendMessage', message: 'Are you there?' });
    expect((lastSent(socket) as SendMessageFrame).turnId).toBe(turnId);
  });

  it('gives up an answer that has gone silent past its deadline', async () => {
    const { sockets, user } = renderApp({ waitTimeoutsMs: { answer: 80 } });
    const socket = await connect(sockets);
    const { frames } = await ask(user, socket, 'Slowly, please');
    receive(socket, frames.token(0, 'Well'));

    const alert = await screen.findByRole('alert');

    expect(alert.textContent).toContain('The answer stopped coming');
    expect(lastAnswer().textContent).toContain('Well');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('brings Stop back when stopping fails, and stops on Try again', async () => {
    const { sockets, user } = renderApp();
    const socket = await connect(sockets);
    const { turnId, frames } = await ask(user, socket, '#tokens:400');
    receive(socket, frames.token(0, 'Streaming'));
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    expect(screen.getByRole('button', { name: 'Stopping…' })).toBeTruthy();

    act(() => socket.receiveRaw(INTERNAL_SERVER_ERROR));

    expect(screen.getByRole('alert').textContent).toContain('Stop did not reach the server');
    expect(screen.getByRole('button', { name: 'Stop' })).toHaveProperty('disabled', false);
    receive(socket, frames.token(1, ' keeps going'));
    expect(lastAnswer().textContent).toContain('Streaming keeps going');

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(socket.sentToConversation().filter((frame) => frame.action === 'cancel')).toEqual([
      { action: 'cancel', sessionId: SESSION, turnId, seenSeq: 0 },
      { action: 'cancel', sessionId: SESSION, turnId, seenSeq: 1 },
    ]);
    receive(socket, frames.done(2, 'cancelled'));
    expect(within(lastAnswer()).getByText('Stopped')).toBeTruthy();
  });

  it('brings Stop back when the server has not confirmed it in time', async () => {
    const { sockets, user } = renderApp({ waitTimeoutsMs: { stop: 50 } });
    const socket = await connect(sockets);
    await ask(user, socket, '#tokens:400');
    await user.click(screen.getByRole('button', { name: 'Stop' }));

    const alert = await screen.findByRole('alert');

    expect(alert.textContent).toContain('The answer has not stopped');
    expect(screen.getByRole('button', { name: 'Stop' })).toHaveProperty('disabled', false);
  });
});
