import { describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { devToken, openChat } from '../support/chat-socket.ts';

const stack = inject('stack');

/** A masked client frame built by hand: `ws` itself refuses to send a broken one. */
function rawFrame(firstByte: number, payload: Buffer): Buffer {
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] as number)));
  return Buffer.concat([Buffer.from([firstByte, 0x80 | payload.length]), mask, masked]);
}

const FIN_TEXT = 0x81;
const RSV1 = 0x40;

/** Opens a socket, writes `frame` under it and resolves with the close code the server sent. */
async function closeCodeAfter(frame: Buffer): Promise<number> {
  const ws = new WebSocket(
    `${stack.websocketUrl}?token=${await devToken(stack, `user-${crypto.randomUUID()}`)}`,
  );
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  // The client may see the server's close as an error of its own; the close code is what matters here.
  ws.on('error', () => undefined);
  (ws as unknown as { _socket: { write(data: Buffer): void } })._socket.write(frame);
  return closed;
}

describe('malformed WebSocket frames close only their own connection', () => {
  it.each([
    ['a text frame with invalid UTF-8', 1007, rawFrame(FIN_TEXT, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
    [
      'a frame with the RSV1 bit set (no compression was negotiated)',
      1002,
      rawFrame(FIN_TEXT | RSV1, Buffer.from('{}')),
    ],
  ])(
    'closes the socket that sent %s with %i, and every other socket carries on',
    async (_name, code, frame) => {
      const bystander = await openChat(stack);
      const sessionId = crypto.randomUUID();
      const from = bystander.frames.length;
      bystander.send({
        action: 'sendMessage',
        sessionId,
        turnId: crypto.randomUUID(),
        message: '#tokens:60 #pace:20',
      });
      await bystander.waitFor((f) => f.type === 'token', { fromIndex: from });

      expect(await closeCodeAfter(frame)).toBe(code);

      // The bystander's answer finishes, and the stack still takes new connections and turns.
      const end = await bystander.waitFor((f) => f.type === 'done' || f.type === 'error', {
        fromIndex: from,
      });
      expect(end).toMatchObject({ type: 'done', stopReason: 'end_turn' });
      expect(bystander.isOpen).toBe(true);
      const newcomer = await openChat(stack);
      expect((await newcomer.turn(crypto.randomUUID(), 'Still up?')).end.type).toBe('done');
      await Promise.all([bystander.close(), newcomer.close()]);
    },
  );
});
