import type { ClientFrame } from '../../../src/protocol/client-frame.ts';
import type { DoneFrame, HistoryEntry, ServerFrame } from '../../../src/protocol/server-frame.ts';
import type { CreateSocket, SocketLike } from '../chat/use-chat-socket.ts';

/** A WebSocket stand-in the test drives: it opens, receives and drops when told to, and records what was sent. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: ClientFrame[] = [];
  closedByClient = false;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send() on a socket that is not open');
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000): void {
    this.closedByClient = true;
    this.finish(code);
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  receive(...frames: ServerFrame[]): void {
    for (const frame of frames)
      this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(frame) }));
  }

  receiveRaw(data: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  /** The connection breaks (network gone, server restarted): code 1006, as browsers report it. */
  drop(): void {
    this.finish(1006);
  }

  /** What was sent about the conversation shown: without the list of conversations and usage requests. */
  sentToConversation(): ClientFrame[] {
    return this.sent.filter((frame) => frame.action !== 'listSessions' && frame.action !== 'getUsage');
  }

  sentActions(): string[] {
    return this.sentToConversation().map((frame) => frame.action);
  }

  private finish(code: number): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close', { code }));
  }
}

/** A socket factory that keeps every socket it made, newest last. */
export function createFakeSockets(): { create: CreateSocket; all: FakeSocket[]; latest(): FakeSocket } {
  const all: FakeSocket[] = [];
  return {
    all,
    create: (url) => {
      const socket = new FakeSocket(url);
      all.push(socket);
      return socket;
    },
    latest: () => {
      const socket = all.at(-1);
      if (!socket) throw new Error('no socket was created');
      return socket;
    },
  };
}

/** Frame builders for one session, so tests read as the conversation they play. */
export function framesFor(sessionId: string, turnId: string) {
  const base = { sessionId, turnId };
  return {
    status: (seq: number, tool: string, value: string): ServerFrame => ({
      type: 'status',
      ...base,
      seq,
      tool,
      value,
    }),
    token: (seq: number, value: string): ServerFrame => ({ type: 'token', ...base, seq, value }),
    done: (
      seq: number,
      stopReason: 'end_turn' | 'cancelled' | 'max_tokens' = 'end_turn',
      extra: Pick<DoneFrame, 'keptThroughSeq' | 'replayed'> = {},
    ): ServerFrame => ({
      type: 'done',
      ...base,
      seq,
      stopReason,
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      modelCalls: 1,
      toolCalls: 0,
      ...extra,
    }),
  };
}

export function historyFrame(
  sessionId: string,
  messages: HistoryEntry[],
  interruptedTurn?: { turnId: string; stopReason: 'client_gone' | 'cancelled' | 'timeout'; lastSeq: number },
): ServerFrame {
  return {
    type: 'history',
    sessionId,
    turns: messages.filter((message) => message.role === 'user').length,
    messages,
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    ...(interruptedTurn ? { interruptedTurn } : {}),
  };
}

/** What the server answers for a session id it has nothing stored for. */
export function unstoredHistory(sessionId: string): ServerFrame {
  return { ...historyFrame(sessionId, []), stored: false } as ServerFrame;
}

/** The history of a question whose answer was cut off: what `resume`, or a reload, gets first. */
export function cutOffHistory(
  sessionId: string,
  question: string,
  answerSoFar: string,
  interruptedTurn: { turnId: string; stopReason: 'client_gone' | 'cancelled' | 'timeout'; lastSeq: number },
): ServerFrame {
  return historyFrame(
    sessionId,
    [
      { role: 'user', text: question },
      { role: 'assistant', text: answerSoFar },
    ],
    interruptedTurn,
  );
}
