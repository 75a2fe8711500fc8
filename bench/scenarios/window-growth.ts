import type { StoredSession } from '../../src/chat/ports.ts';
import { openChat } from '../../test/support/chat-socket.ts';
import { writeSessionItem } from '../../test/support/sessions.ts';
import type { StackInfo } from '../../test/support/stack-info.ts';
import { type SocketFigures, toSocketFigures } from '../support/socket-lanes.ts';
import { type SocketTurn, timeSocketTurn } from '../support/socket-turn.ts';
import { SHORT_QUESTION } from './handler-overhead.ts';

export interface WindowGrowthRow extends Omit<SocketFigures, 'turnsPerSecond'> {
  storedMessages: number;
}

/** About the size of the scripted model's short answer, so a stored window weighs what a real one does. */
const STORED_ANSWER =
  'A stored answer of about the length the scripted model gives to a short question. '.repeat(4);

/**
 * Section 5, second part: one turn on a session that already holds `size` messages, for each size in turn
 * (0, 10, 20, 0, 10, 20, ...), over one WebSocket through the offline stack.
 */
export async function measureWindowGrowth(
  stack: StackInfo,
  options: { sizes: number[]; turnsPerSize: number },
): Promise<{ rows: WindowGrowthRow[] }> {
  const socket = await openChat(stack, `bench-${crypto.randomUUID()}`);
  const turns = new Map<number, SocketTurn[]>(options.sizes.map((size) => [size, []]));
  try {
    await timeSocketTurn(socket, crypto.randomUUID(), SHORT_QUESTION);
    for (let round = 0; round < options.turnsPerSize; round++) {
      for (const size of options.sizes) {
        const sessionId = crypto.randomUUID();
        // An empty window is a session not stored yet (version 0 means "no item").
        if (size > 0) await writeSessionItem(stack, storedSession(sessionId, size));
        turns.get(size)?.push(await timeSocketTurn(socket, sessionId, SHORT_QUESTION));
      }
    }
  } finally {
    await socket.close();
  }
  return {
    rows: options.sizes.map((size) => {
      const { turnsPerSecond: _, ...figures } = toSocketFigures(turns.get(size) ?? [], 0);
      return { storedMessages: size, ...figures };
    }),
  };
}

/** A live session with `size` messages (whole question-and-answer turns), no owner, so any user may use it. */
function storedSession(sessionId: string, size: number): StoredSession {
  const at = new Date().toISOString();
  const messages = Array.from({ length: size }, (_, index) =>
    index % 2 === 0
      ? { role: 'user' as const, content: [{ text: `${SHORT_QUESTION} (${index / 2})` }] }
      : { role: 'assistant' as const, content: [{ text: STORED_ANSWER }] },
  );
  return {
    sessionId,
    version: size / 2,
    turns: size / 2,
    messages,
    usage: { inputTokens: 0, outputTokens: 0 },
    createdAt: at,
    updatedAt: at,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  };
}
