import type { ServerFrame } from '../../src/protocol/server-frame.ts';
import type { ChatSocket } from '../../test/support/chat-socket.ts';
import { now } from './clock.ts';

/** One turn as a WebSocket client saw it. */
export interface SocketTurn {
  ok: boolean;
  /** Client send to the first `token` frame. */
  firstTokenMs?: number;
  /** Client send to `done`. */
  doneMs?: number;
  /** The error frame's code, or TIMEOUT. */
  code?: string;
}

/** Sends one sendMessage over a real WebSocket and times its first token and its end. */
export async function timeSocketTurn(
  socket: ChatSocket,
  sessionId: string,
  message: string,
  timeoutMs = 30_000,
): Promise<SocketTurn> {
  const turnId = crypto.randomUUID();
  const fromIndex = socket.frames.length;
  const ofTurn = (frame: ServerFrame) =>
    ('turnId' in frame && frame.turnId === turnId) ||
    // Refused before the turn began (rate limit, foreign session): an error frame without a turn id.
    (frame.type === 'error' && frame.turnId === undefined && frame.sessionId === sessionId);
  const isEnd = (frame: ServerFrame) => ofTurn(frame) && (frame.type === 'done' || frame.type === 'error');

  const sentAt = now();
  socket.send({ action: 'sendMessage', sessionId, message, turnId });
  try {
    const first = await socket.waitFor((frame) => isEnd(frame) || (ofTurn(frame) && frame.type === 'token'), {
      fromIndex,
      timeoutMs,
    });
    const firstTokenMs = first.type === 'token' ? now() - sentAt : undefined;
    const end = await socket.waitFor(isEnd, { fromIndex, timeoutMs });
    const doneMs = now() - sentAt;
    if (end.type === 'error') return { ok: false, code: end.code };
    return { ok: true, firstTokenMs, doneMs };
  } catch {
    return { ok: false, code: 'TIMEOUT' };
  }
}
