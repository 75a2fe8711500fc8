import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from '../../../src/adapters/memory/memory-session-store.ts';
import { SessionExpiredError } from '../../../src/chat/errors.ts';
import type { Message } from '../../../src/chat/messages.ts';
import { readHistory, toHistoryEntries } from '../../../src/chat/read-history.ts';
import { createSession } from '../../../src/chat/session.ts';
import { createFakeClock } from '../../support/fakes.ts';

describe('toHistoryEntries', () => {
  it('shows one entry per question and per answer, with the tools the answer used', () => {
    const messages: Message[] = [
      { role: 'user', content: [{ text: 'What time is it?' }] },
      {
        role: 'assistant',
        content: [{ text: 'Checking.' }, { toolUse: { toolUseId: 'a', name: 'current_time', input: {} } }],
      },
      {
        role: 'user',
        content: [{ toolResult: { toolUseId: 'a', content: [{ json: { iso: 'x' } }], status: 'success' } }],
      },
      { role: 'assistant', content: [{ text: 'It is noon.' }] },
      { role: 'user', content: [{ text: 'Thanks' }] },
      { role: 'assistant', content: [{ text: 'Any time.' }] },
    ];

    expect(toHistoryEntries(messages)).toEqual([
      { role: 'user', text: 'What time is it?' },
      { role: 'assistant', text: 'Checking.\n\nIt is noon.', tools: ['current_time'] },
      { role: 'user', text: 'Thanks' },
      { role: 'assistant', text: 'Any time.' },
    ]);
  });
});

describe('readHistory', () => {
  it('answers an unknown session with an empty history marked as not stored, rather than an error', async () => {
    const history = await readHistory(
      { sessions: createMemorySessionStore(), clock: createFakeClock() },
      { sessionId: 'new' },
    );
    expect(history).toEqual({
      type: 'history',
      sessionId: 'new',
      turns: 0,
      messages: [],
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      stored: false,
    });
  });

  it('reports an expired session as SESSION_EXPIRED', async () => {
    const clock = createFakeClock();
    const old = {
      ...createSession('s', undefined, clock.now()),
      version: 4,
      expiresAt: clock.now() / 1000 - 1,
    };
    await expect(
      readHistory({ sessions: createMemorySessionStore([old]), clock }, { sessionId: 's' }),
    ).rejects.toBeInstanceOf(SessionExpiredError);
  });
});
