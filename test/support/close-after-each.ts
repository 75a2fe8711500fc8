import { afterEach } from 'vitest';
import type { ChatSocket } from './chat-socket.ts';

/**
 * Wraps a way of opening sockets so that every socket it opened is closed after each test. Call it at the top
 * level of a test file: `const open = closeAfterEach((user?: string) => openChat(stack, user));`.
 */
export function closeAfterEach<A extends unknown[]>(
  open: (...args: A) => Promise<ChatSocket>,
): (...args: A) => Promise<ChatSocket> {
  const sockets: ChatSocket[] = [];
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  });
  return async (...args) => {
    const socket = await open(...args);
    sockets.push(socket);
    return socket;
  };
}
