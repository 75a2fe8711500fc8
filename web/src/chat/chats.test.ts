import { describe, expect, it } from 'vitest';
import { framesFor, historyFrame } from '../testing/fake-socket.ts';
import { createChats, currentConversation, needsHistory, updateChats } from './chats.ts';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const TURN = '33333333-3333-4333-8333-333333333333';

describe('updateChats', () => {
  it('keeps a streaming answer running in its own conversation while another is shown', () => {
    let chats = createChats(A);
    chats = updateChats(chats, { type: 'frameReceived', frame: historyFrame(A, []) });
    chats = updateChats(chats, {
      type: 'current',
      event: { type: 'questionSent', turnId: TURN, question: 'Q' },
    });
    const frames = framesFor(A, TURN);
    chats = updateChats(chats, { type: 'frameReceived', frame: frames.token(0, 'Hel') });

    chats = updateChats(chats, { type: 'opened', sessionId: B });
    expect(needsHistory(chats)).toBe(true);
    chats = updateChats(chats, { type: 'frameReceived', frame: frames.token(1, 'lo') });
    chats = updateChats(chats, { type: 'frameReceived', frame: frames.done(2) });
    expect(currentConversation(chats).messages).toEqual([]);

    chats = updateChats(chats, { type: 'opened', sessionId: A });
    expect(needsHistory(chats)).toBe(false);
    expect(currentConversation(chats).messages.at(-1)).toMatchObject({ text: 'Hello', turnId: TURN });
    expect(currentConversation(chats).turn).toBeUndefined();
  });

  it('lets go of a conversation with no answer running when another is shown', () => {
    let chats = createChats(A);
    chats = updateChats(chats, { type: 'frameReceived', frame: historyFrame(A, []) });
    chats = updateChats(chats, { type: 'opened', sessionId: B });
    expect(Object.keys(chats.conversations)).toEqual([B]);
  });

  it('drops held conversations when the connection drops, and detaches the shown one', () => {
    let chats = createChats(A);
    chats = updateChats(chats, { type: 'frameReceived', frame: historyFrame(A, []) });
    chats = updateChats(chats, {
      type: 'current',
      event: { type: 'questionSent', turnId: TURN, question: 'Q' },
    });
    chats = updateChats(chats, { type: 'opened', sessionId: B, fresh: true });
    chats = updateChats(chats, { type: 'connectionLost' });
    expect(Object.keys(chats.conversations)).toEqual([B]);
  });
});
