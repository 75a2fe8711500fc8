import { describe, expect, inject, it } from 'vitest';
import type {
  ErrorFrame,
  FeedbackFrame,
  HistoryFrame,
  ServerFrame,
  SessionDeletedFrame,
  SessionsFrame,
  SessionUpdatedFrame,
} from '../../src/protocol/server-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { readSessionItem, readSessionPartition, writeSessionItem } from '../support/sessions.ts';

const stack = inject('stack');

/** Sends a frame and waits for the first frame of `type` (or an error) that comes after it. */
async function ask<T extends ServerFrame>(
  chat: ChatSocket,
  frame: Record<string, unknown>,
  type: string,
): Promise<T | ErrorFrame> {
  const fromIndex = chat.frames.length;
  chat.send(frame);
  return (await chat.waitFor((f) => f.type === type || f.type === 'error', {
    fromIndex,
    timeoutMs: 30_000,
  })) as T | ErrorFrame;
}

const list = (chat: ChatSocket, fields: Record<string, unknown> = {}) =>
  ask<SessionsFrame>(chat, { action: 'listSessions', ...fields }, 'sessions') as Promise<SessionsFrame>;

/** A new session with one answered turn; returns its id and the turn's id. */
async function chatWith(chat: ChatSocket, message: string): Promise<{ sessionId: string; turnId: string }> {
  const sessionId = crypto.randomUUID();
  const result = await chat.turn(sessionId, message);
  expect(result.end.type).toBe('done');
  return { sessionId, turnId: result.end.turnId as string };
}

describe('listSessions', () => {
  it('lists only the caller’s sessions, newest activity first, from the index', async () => {
    const alice = await openChat(stack);
    const bob = await openChat(stack);
    try {
      const first = await chatWith(alice, 'Tell me about tulips');
      const second = await chatWith(alice, 'Tell me about roses');
      await chatWith(bob, 'Bob’s own question');

      const page = await list(alice);
      expect(page.sessions.map((session) => session.sessionId)).toEqual([second.sessionId, first.sessionId]);
      expect(page.sessions[0]).toMatchObject({ turns: 1 });
      expect(page.cursor).toBeUndefined();
      // A turn in the older session moves it to the top.
      await alice.turn(first.sessionId, 'And daffodils?');
      expect((await list(alice)).sessions.map((session) => session.sessionId)).toEqual([
        first.sessionId,
        second.sessionId,
      ]);
    } finally {
      await Promise.all([alice.close(), bob.close()]);
    }
  });

  it('pages with a cursor that only its owner can use', async () => {
    const owner = await openChat(stack);
    const mallory = await openChat(stack);
    try {
      const own: string[] = [];
      for (let index = 0; index < 21; index++) own.push((await chatWith(owner, `page ${index}`)).sessionId);
      const first = await list(owner);
      expect(first.sessions.length).toBe(20);
      expect(first.cursor).toEqual(expect.any(String));
      const second = await list(owner, { cursor: first.cursor });
      expect(second.cursor).toBeUndefined();
      const seen = [...first.sessions, ...second.sessions].map((session) => session.sessionId);
      expect(seen).toEqual([...own].reverse());

      expect(await ask(mallory, { action: 'listSessions', cursor: first.cursor }, 'sessions')).toMatchObject({
        type: 'error',
        code: 'INVALID_CURSOR',
      });
      expect(await ask(mallory, { action: 'listSessions', cursor: 'nope' }, 'sessions')).toMatchObject({
        type: 'error',
        code: 'INVALID_CURSOR',
      });
    } finally {
      await Promise.all([owner.close(), mallory.close()]);
    }
  });

  it('searches titles and text, case-insensitively', async () => {
    const chat = await openChat(stack);
    try {
      const tulips = await chatWith(chat, 'Tell me about TULIPS please');
      const roses = await chatWith(chat, 'Tell me about roses');
      await ask(
        chat,
        { action: 'renameSession', sessionId: roses.sessionId, title: 'Garden Plans' },
        'sessionUpdated',
      );

      const byText = await list(chat, { query: 'tulips' });
      expect(byText.sessions.map((session) => session.sessionId)).toEqual([tulips.sessionId]);
      expect(byText.query).toBe('tulips');
      const byTitle = await list(chat, { query: 'garden' });
      expect(byTitle.sessions.map((session) => session.sessionId)).toEqual([roses.sessionId]);
      expect((await list(chat, { query: 'no such words' })).sessions).toEqual([]);
    } finally {
      await chat.close();
    }
  });

  it('leaves out sessions past their TTL that DynamoDB has not deleted yet', async () => {
    const chat = await openChat(stack);
    try {
      const { sessionId } = await chatWith(chat, 'This one will expire');
      expect((await list(chat)).sessions.map((s) => s.sessionId)).toContain(sessionId);
      const stored = await readSessionItem(stack, sessionId);
      if (!stored) throw new Error('session not stored');
      const { PK: _pk, SK: _sk, ...session } = stored;
      await writeSessionItem(stack, { ...session, expiresAt: Math.floor(Date.now() / 1000) - 60 } as never);
      expect((await list(chat)).sessions.map((s) => s.sessionId)).not.toContain(sessionId);
    } finally {
      await chat.close();
    }
  });
});

describe('renameSession', () => {
  it('renames the caller’s session for the list and the history, and survives the next turn', async () => {
    const chat = await openChat(stack);
    try {
      const { sessionId } = await chatWith(chat, 'Hello there');
      const renamed = await ask<SessionUpdatedFrame>(
        chat,
        { action: 'renameSession', sessionId, title: '  My   trip  ' },
        'sessionUpdated',
      );
      expect(renamed).toEqual({ type: 'sessionUpdated', sessionId, title: 'My trip' });
      await chat.turn(sessionId, 'Another question');
      const history = (await ask<HistoryFrame>(
        chat,
        { action: 'getHistory', sessionId },
        'history',
      )) as HistoryFrame;
      expect(history.title).toBe('My trip');
      expect((await list(chat)).sessions.find((s) => s.sessionId === sessionId)?.title).toBe('My trip');
    } finally {
      await chat.close();
    }
  });

  it('refuses an empty or over-long title', async () => {
    const chat = await openChat(stack);
    try {
      const { sessionId } = await chatWith(chat, 'Hello');
      for (const title of ['   ', 'x'.repeat(121)]) {
        expect(
          await ask(chat, { action: 'renameSession', sessionId, title }, 'sessionUpdated'),
        ).toMatchObject({
          type: 'error',
          code: 'INVALID_FRAME',
        });
      }
    } finally {
      await chat.close();
    }
  });
});

describe('sendFeedback', () => {
  it('stores the rating with the turn and shows it in the history', async () => {
    const chat = await openChat(stack);
    try {
      const { sessionId, turnId } = await chatWith(chat, 'Rate me');
      const stored = await ask<FeedbackFrame>(
        chat,
        { action: 'sendFeedback', sessionId, turnId, rating: 'down', comment: ' Too short ' },
        'feedback',
      );
      expect(stored).toEqual({ type: 'feedback', sessionId, turnId, rating: 'down', comment: 'Too short' });
      const turnItem = (await readSessionPartition(stack, sessionId)).find(
        (item) => item.SK === `TURN#${turnId}`,
      );
      expect(turnItem?.feedback).toMatchObject({ rating: 'down', comment: 'Too short' });

      // Sending again replaces it.
      await ask(chat, { action: 'sendFeedback', sessionId, turnId, rating: 'up' }, 'feedback');
      const history = (await ask<HistoryFrame>(
        chat,
        { action: 'getHistory', sessionId },
        'history',
      )) as HistoryFrame;
      expect(history.messages.at(-1)).toMatchObject({
        role: 'assistant',
        turnId,
        feedback: { rating: 'up' },
      });
      expect(history.messages.at(-1)?.feedback?.comment).toBeUndefined();
    } finally {
      await chat.close();
    }
  });

  it('refuses a turn the session does not hold, and a bad rating', async () => {
    const chat = await openChat(stack);
    try {
      const { sessionId } = await chatWith(chat, 'Hello');
      const unknownTurn = crypto.randomUUID();
      expect(
        await ask(chat, { action: 'sendFeedback', sessionId, turnId: unknownTurn, rating: 'up' }, 'feedback'),
      ).toMatchObject({ type: 'error', code: 'TURN_NOT_FOUND' });
      expect(
        await ask(
          chat,
          { action: 'sendFeedback', sessionId, turnId: unknownTurn, rating: 'meh' },
          'feedback',
        ),
      ).toMatchObject({ type: 'error', code: 'INVALID_FRAME' });
    } finally {
      await chat.close();
    }
  });
});

describe('deleteSession', () => {
  it('deletes the session and every item stored for it, and it leaves the list', async () => {
    const chat = await openChat(stack);
    try {
      const { sessionId, turnId } = await chatWith(chat, 'Forget me');
      await chat.turn(sessionId, 'And this too');
      await ask(chat, { action: 'sendFeedback', sessionId, turnId, rating: 'up' }, 'feedback');
      expect((await readSessionPartition(stack, sessionId)).length).toBeGreaterThanOrEqual(3);

      const deleted = await ask<SessionDeletedFrame>(
        chat,
        { action: 'deleteSession', sessionId },
        'sessionDeleted',
      );
      expect(deleted).toEqual({ type: 'sessionDeleted', sessionId });
      expect(await readSessionPartition(stack, sessionId)).toEqual([]);
      expect((await list(chat)).sessions.map((s) => s.sessionId)).not.toContain(sessionId);
      // Deleting again is not an error: it is gone.
      expect(await ask(chat, { action: 'deleteSession', sessionId }, 'sessionDeleted')).toMatchObject({
        type: 'sessionDeleted',
      });
    } finally {
      await chat.close();
    }
  });
});

describe('ownership: another user’s session id is refused by every new action', () => {
  it('refuses rename, delete and feedback, and changes nothing', async () => {
    const alice = await openChat(stack);
    const mallory = await openChat(stack);
    try {
      const { sessionId, turnId } = await chatWith(alice, 'Private question');
      const before = await readSessionPartition(stack, sessionId);
      for (const frame of [
        { action: 'renameSession', sessionId, title: 'pwned' },
        { action: 'deleteSession', sessionId },
        { action: 'sendFeedback', sessionId, turnId, rating: 'down', comment: 'spam' },
      ]) {
        expect(await ask(mallory, frame, 'never')).toMatchObject({
          type: 'error',
          code: 'FORBIDDEN',
          sessionId,
        });
      }
      expect(await readSessionPartition(stack, sessionId)).toEqual(before);
      expect((await list(mallory)).sessions.map((s) => s.sessionId)).not.toContain(sessionId);
    } finally {
      await Promise.all([alice.close(), mallory.close()]);
    }
  });
});
