import { describe, expect, inject, it } from 'vitest';
import type { DoneFrame, ErrorFrame, HistoryFrame, ServerFrame } from '../../src/protocol/server-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';
import { readSessionPartition } from '../support/sessions.ts';

const stack = inject('stack');

/** A route's first call starts its handler cold in serverless-offline: slow on a loaded machine. */
const COLD_START_MS = 60_000;

/** Sends a branch action (regenerate, editMessage) and collects the new turn's frames until it ends. */
async function branchTurn(chat: ChatSocket, frame: Record<string, unknown>) {
  const newTurnId = crypto.randomUUID();
  const fromIndex = chat.frames.length;
  chat.send({ ...frame, newTurnId });
  const end = (await chat.waitFor(
    (f) => (f.type === 'done' || f.type === 'error') && 'turnId' in f && f.turnId === newTurnId,
    { fromIndex, timeoutMs: COLD_START_MS },
  )) as DoneFrame | ErrorFrame;
  const text = chat.frames
    .slice(fromIndex)
    .map((f) => (f.type === 'token' && f.turnId === newTurnId ? f.value : ''))
    .join('');
  return { newTurnId, end, text };
}

/** Sends a frame and waits for the first frame of `type` (or an error) after it. */
async function answerTo(chat: ChatSocket, frame: Record<string, unknown>, type: ServerFrame['type']) {
  const fromIndex = chat.frames.length;
  chat.send(frame);
  return chat.waitFor((f: ServerFrame) => f.type === type || f.type === 'error', {
    fromIndex,
    timeoutMs: COLD_START_MS,
  });
}

const historyAfter = (chat: ChatSocket, frame: Record<string, unknown>) =>
  answerTo(chat, frame, 'history') as Promise<HistoryFrame | ErrorFrame>;

const texts = (history: HistoryFrame | ErrorFrame) =>
  history.type === 'history' ? history.messages.map((entry) => entry.text) : history;

describe('branches over the real stack', () => {
  it('regenerates the last answer: a different answer, the old one a sibling; history and reload agree', async () => {
    const chat = await openChat(stack);
    try {
      const sessionId = crypto.randomUUID();
      const first = await chat.turn(sessionId, 'Hello branch one');
      const second = await chat.turn(sessionId, 'Tell me about ferns');
      expect(second.end.type).toBe('done');

      const regenerated = await branchTurn(chat, { action: 'regenerate', sessionId });
      expect(regenerated.end).toMatchObject({ type: 'done', stopReason: 'end_turn' });
      // The scripted model answers a second version differently (docs/emulator.md).
      expect(regenerated.text).toBe(`Take 2: ${second.text}`);

      const history = await historyAfter(chat, { action: 'getHistory', sessionId });
      expect(texts(history)).toEqual([
        'Hello branch one',
        first.text,
        'Tell me about ferns',
        regenerated.text,
      ]);
      expect(history).toMatchObject({ turns: 3 });
      const asked = (history as HistoryFrame).messages[2];
      expect(asked).toMatchObject({ turnId: regenerated.newTurnId, siblings: { index: 1, count: 2 } });

      const back = await historyAfter(chat, {
        action: 'switchBranch',
        sessionId,
        turnId: regenerated.newTurnId,
        index: 0,
      });
      expect(texts(back)).toEqual(['Hello branch one', first.text, 'Tell me about ferns', second.text]);
      // A reload reads the branch switched to from storage.
      const reloaded = await historyAfter(chat, { action: 'getHistory', sessionId });
      expect(reloaded).toEqual(back);
    } finally {
      await chat.close();
    }
  });

  it('edits an earlier question; the rest stays on the branch left; feedback stays with its answer', async () => {
    const chat = await openChat(stack);
    try {
      const sessionId = crypto.randomUUID();
      const a = await chat.turn(sessionId, 'Tell me about tulips');
      const b = await chat.turn(sessionId, 'And about roses');
      const aTurn = (a.end as DoneFrame).turnId;
      const bTurn = (b.end as DoneFrame).turnId;
      const rated = await answerTo(
        chat,
        { action: 'sendFeedback', sessionId, turnId: bTurn, rating: 'up' },
        'feedback',
      );
      expect(rated.type).toBe('feedback');

      const edited = await branchTurn(chat, {
        action: 'editMessage',
        sessionId,
        turnId: aTurn,
        message: 'Tell me about daisies',
      });
      expect(edited.end.type).toBe('done');
      const now = await historyAfter(chat, { action: 'getHistory', sessionId });
      expect(texts(now)).toEqual(['Tell me about daisies', edited.text]);

      const back = await historyAfter(chat, { action: 'switchBranch', sessionId, turnId: aTurn, index: 0 });
      expect(texts(back)).toEqual(['Tell me about tulips', a.text, 'And about roses', b.text]);
      expect((back as HistoryFrame).messages[3]).toMatchObject({ turnId: bTurn, feedback: { rating: 'up' } });
      expect((back as HistoryFrame).messages[0]?.siblings).toEqual({ index: 0, count: 2 });

      // The model only ever sees the active branch: a new question continues from the roses.
      const marker = uniqueMarker('branch');
      const next = await chat.turn(sessionId, `One more ${marker}`);
      expect(next.end.type).toBe('done');
      const [call] = await emulatorCalls(stack.emulatorUrl, marker);
      // tulips, its answer, roses, its answer, the new question: not the daisies branch (3 messages).
      expect(call?.messages).toBe(5);
    } finally {
      await chat.close();
    }
  });

  it("refuses another user's session from the first frame, for every branch action, and writes nothing", async () => {
    const alice = await openChat(stack);
    const mallory = await openChat(stack);
    try {
      const sessionId = crypto.randomUUID();
      const asked = await alice.turn(sessionId, 'Private question');
      const turnId = (asked.end as DoneFrame).turnId;
      const before = await readSessionPartition(stack, sessionId);

      const regenerate = await branchTurn(mallory, { action: 'regenerate', sessionId });
      const edit = await branchTurn(mallory, {
        action: 'editMessage',
        sessionId,
        turnId,
        message: 'mine now',
      });
      const switched = await historyAfter(mallory, { action: 'switchBranch', sessionId, turnId, index: 0 });
      for (const refused of [regenerate.end, edit.end, switched]) {
        expect(refused).toMatchObject({ type: 'error', code: 'FORBIDDEN', sessionId });
      }
      // No token of Alice's conversation reached Mallory.
      expect(regenerate.text + edit.text).toBe('');
      expect(await readSessionPartition(stack, sessionId)).toEqual(before);
    } finally {
      await Promise.all([alice.close(), mallory.close()]);
    }
  });

  it('refuses a regenerate while an answer streams, with a typed error, and loses nothing', async () => {
    const chat = await openChat(stack);
    try {
      const sessionId = crypto.randomUUID();
      await chat.turn(sessionId, 'First question');
      const streaming = chat.turn(sessionId, 'A slow one #pace:150 #tokens:40');
      await chat.waitFor((f) => f.type === 'token' && f.sessionId === sessionId && f.seq > 0, {
        fromIndex: chat.frames.length,
        timeoutMs: 30_000,
      });
      const refused = await branchTurn(chat, { action: 'regenerate', sessionId });
      expect(refused.end).toMatchObject({ type: 'error', code: 'TURN_IN_PROGRESS', retryable: true });
      expect((await streaming).end.type).toBe('done');
      const history = await historyAfter(chat, { action: 'getHistory', sessionId });
      expect((history as HistoryFrame).messages).toHaveLength(4);
      expect((history as HistoryFrame).turns).toBe(2);
    } finally {
      await chat.close();
    }
  });

  it('deleteSession deletes every branch: nothing of the session is left in DynamoDB', async () => {
    const chat = await openChat(stack);
    try {
      const sessionId = crypto.randomUUID();
      const a = await chat.turn(sessionId, 'Delete me');
      await branchTurn(chat, { action: 'regenerate', sessionId });
      await branchTurn(chat, {
        action: 'editMessage',
        sessionId,
        turnId: (a.end as DoneFrame).turnId,
        message: 'Delete me too',
      });
      const items = await readSessionPartition(stack, sessionId);
      expect(items.filter((item) => String(item.SK).startsWith('BRANCH#'))).toHaveLength(2);

      const fromIndex = chat.frames.length;
      chat.send({ action: 'deleteSession', sessionId });
      await chat.waitFor((f) => f.type === 'sessionDeleted' || f.type === 'error', { fromIndex });
      expect(await readSessionPartition(stack, sessionId)).toEqual([]);
    } finally {
      await chat.close();
    }
  });
});
