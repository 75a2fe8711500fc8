import WebSocket from 'ws';
import type { DoneFrame, ErrorFrame, ServerFrame } from '../../src/protocol/server-frame.ts';
import type { StackInfo } from './stack-info.ts';

export interface TurnResult {
  frames: ServerFrame[];
  /** The streamed text, tokens joined in seq order. */
  text: string;
  end: DoneFrame | ErrorFrame;
}

/** A real WebSocket client for the offline stack, with helpers to wait for frames. */
export interface ChatSocket {
  readonly frames: ServerFrame[];
  send(frame: unknown): void;
  /** Sends a raw text or binary frame as is. */
  sendRaw(data: string | Buffer): void;
  /** Resolves with the first frame (already received or still to come) after `fromIndex` that matches. */
  waitFor(
    predicate: (frame: ServerFrame) => boolean,
    options?: { timeoutMs?: number; fromIndex?: number },
  ): Promise<ServerFrame>;
  /** Sends one message and collects its turn's frames until `done` or `error`. */
  /** Sends a question (with a new turn id, or `turnId` to retry one) and collects its frames until it ends. */
  turn(
    sessionId: string,
    message: string,
    options?: { timeoutMs?: number; turnId?: string },
  ): Promise<TurnResult>;
  close(): Promise<void>;
  readonly isOpen: boolean;
}

/** Opens a socket to the stack as `user` (a fresh one by default), signed in with a dev-issuer token. */
export async function openChat(
  stack: StackInfo,
  user: string = `user-${crypto.randomUUID()}`,
  groups: string[] = [],
): Promise<ChatSocket> {
  return openChatSocket(`${stack.websocketUrl}?token=${await devToken(stack, user, groups)}`);
}

/** A token for `user` (in `groups`, e.g. admins) from the dev issuer. */
export async function devToken(stack: StackInfo, user: string, groups: string[] = []): Promise<string> {
  const query = new URLSearchParams({ user, ...(groups.length ? { groups: groups.join(',') } : {}) });
  const response = await fetch(`${stack.authUrl}/token?${query}`);
  return ((await response.json()) as { token: string }).token;
}

export async function openChatSocket(url: string): Promise<ChatSocket> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const frames: ServerFrame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as ServerFrame);
    for (const wake of waiters) wake();
  });

  const waitFor: ChatSocket['waitFor'] = (predicate, options = {}) =>
    new Promise((resolve, reject) => {
      let index = options.fromIndex ?? 0;
      const check = () => {
        for (; index < frames.length; index++) {
          const frame = frames[index] as ServerFrame;
          if (predicate(frame)) {
            cleanup();
            resolve(frame);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `No matching frame within ${options.timeoutMs ?? 15_000} ms; got ${JSON.stringify(frames.slice(-5))}`,
          ),
        );
      }, options.timeoutMs ?? 15_000);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (data) => ws.send(data),
    waitFor,
    async turn(sessionId, message, options = {}) {
      const turnId = options.turnId ?? crypto.randomUUID();
      const fromIndex = frames.length;
      ws.send(JSON.stringify({ action: 'sendMessage', sessionId, message, turnId }));
      const end = (await waitFor(
        (frame) =>
          (frame.type === 'done' || frame.type === 'error') && 'turnId' in frame && frame.turnId === turnId
            ? true
            : frame.type === 'error' && frame.turnId === undefined && frame.sessionId === sessionId,
        { fromIndex, timeoutMs: options.timeoutMs ?? 30_000 },
      )) as DoneFrame | ErrorFrame;
      const turnFrames = frames
        .slice(fromIndex)
        .filter((frame) => 'turnId' in frame && frame.turnId === turnId)
        .sort((a, b) => ('seq' in a && 'seq' in b ? (a.seq ?? 0) - (b.seq ?? 0) : 0));
      const text = turnFrames.map((frame) => (frame.type === 'token' ? frame.value : '')).join('');
      return { frames: turnFrames, text, end };
    },
    close: () =>
      new Promise((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
    get isOpen() {
      return ws.readyState === WebSocket.OPEN;
    },
  };
}
