import WebSocket from 'ws';
import type { HistoryFrame, ServerFrame } from '../../src/protocol/server-frame.ts';
import { RESUMABLE_STOP_REASONS } from '../../src/protocol/stop-reasons.ts';

/** A region's WebSocket endpoint, as a client knows it. */
export interface Endpoint {
  label: string;
  url: string;
}

/** How one question ended for the client that asked it. */
export interface TurnOutcome {
  sessionId: string;
  question: string;
  turnId: string;
  /** The client saw the whole answer: `done`, or the stored answer in the history after a failover. */
  completed: boolean;
  /** Times the client moved to another region during this turn, and how long each move took (ms). */
  failovers: number[];
  /** The turn was sent again (same turn id) because the region it moved to had never seen it. */
  resent: boolean;
  error?: string;
}

export interface SimClient {
  /** The region it is connected to now. */
  readonly connectedTo: string | undefined;
  /** Asks one question and follows it to the end, across regions if its region goes away. */
  ask(sessionId: string, question: string): Promise<TurnOutcome>;
  /** Waits until the answer to the question in flight has started (its first frame). */
  answerStarted(): Promise<void>;
  history(sessionId: string): Promise<HistoryFrame>;
  /** Sends `resume` for a turn and waits for the history it answers with (what a failed-over client does). */
  resume(sessionId: string, turnId: string): Promise<HistoryFrame>;
  close(): void;
}

/** A failover gives up on a region that has not opened the connection within this (the web app waits 5 s). */
const CONNECT_TIMEOUT_MS = 3_000;
/** The first connection may wait for a cold `$connect` Lambda on a busy machine. */
const FIRST_CONNECT_TIMEOUT_MS = 30_000;
/** Generous: on a busy two-core machine a Lambda's first run in a fresh offline stack can take many seconds. */
const TURN_TIMEOUT_MS = 90_000;

/**
 * A scripted chat client with the web app's failover rule: it connects to the first endpoint that accepts
 * (in preference order) and, when its connection drops, to the next one that does, starting after the one it
 * lost. Mid-answer it then sends `resume` for the turn; if the new region never saw the turn (it was lost with
 * the old region's Lambda), it sends the question again under the same turn id.
 */
export async function createSimClient(endpoints: readonly Endpoint[]): Promise<SimClient> {
  let socket: WebSocket | undefined;
  let connectedIndex = -1;
  /** Everything received, and each drop, in order: waits read from a position, so nothing slips between. */
  const events: Array<ServerFrame | { type: 'closed' }> = [];
  const wakers = new Set<() => void>();
  const push = (event: ServerFrame | { type: 'closed' }) => {
    events.push(event);
    for (const wake of wakers) wake();
  };
  let started: (() => void) | undefined;

  const connect = async (startAt: number, attemptTimeoutMs = CONNECT_TIMEOUT_MS): Promise<void> => {
    const deadline = Date.now() + TURN_TIMEOUT_MS;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const index = (startAt + attempt) % endpoints.length;
      const opened = await open((endpoints[index] as Endpoint).url, attemptTimeoutMs).catch(() => undefined);
      if (opened) {
        socket = opened;
        connectedIndex = index;
        opened.on('message', (data) => push(JSON.parse(String(data)) as ServerFrame));
        opened.on('close', () => {
          if (socket !== opened) return;
          socket = undefined;
          push({ type: 'closed' });
        });
        return;
      }
      if ((attempt + 1) % endpoints.length === 0) await sleep(200);
    }
    throw new Error('No region accepted a connection');
  };

  /** The first event at or after `from` that `accept` takes, with the position after it. */
  const waitFor = <T>(
    from: number,
    accept: (event: ServerFrame | { type: 'closed' }) => T | undefined,
    timeoutMs = TURN_TIMEOUT_MS,
  ) =>
    new Promise<{ value: T; next: number }>((resolve, reject) => {
      let index = from;
      const check = () => {
        for (; index < events.length; index++) {
          const value = accept(events[index] as ServerFrame | { type: 'closed' });
          if (value !== undefined) {
            cleanup();
            resolve({ value, next: index + 1 });
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`No answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        wakers.delete(check);
      };
      wakers.add(check);
      check();
    });

  const send = (frame: object) => socket?.send(JSON.stringify(frame));
  await connect(0, FIRST_CONNECT_TIMEOUT_MS);

  /** Sends an action that is answered with the session's history, and waits for that history. */
  const historyAfter = async (action: Record<string, string>, sessionId: string): Promise<HistoryFrame> => {
    const from = events.length;
    send(action);
    const { value } = await waitFor<HistoryFrame | { error: string }>(from, (frame) => {
      if (frame.type === 'history' && frame.sessionId === sessionId) return frame;
      // An error about this session, or about no session (a frame the server could not place).
      if (frame.type === 'error' && (frame.sessionId === sessionId || frame.sessionId === null))
        return { error: `${frame.code}: ${frame.message}` };
      if (frame.type === 'closed') return { error: 'connection closed' };
      return undefined;
    });
    if ('error' in value) throw new Error(`${action.action} ${sessionId}: ${value.error}`);
    return value;
  };

  return {
    get connectedTo() {
      return socket ? endpoints[connectedIndex]?.label : undefined;
    },

    async ask(sessionId, question) {
      const turnId = crypto.randomUUID();
      const outcome: TurnOutcome = {
        sessionId,
        question,
        turnId,
        completed: false,
        failovers: [],
        resent: false,
      };
      const ask = () => send({ action: 'sendMessage', sessionId, message: question, turnId });
      type Event = { kind: 'done' } | { kind: 'error'; text: string } | { kind: 'closed' };
      let cursor = events.length;
      ask();
      for (;;) {
        let event: Event;
        try {
          ({ value: event, next: cursor } = await waitFor<Event>(cursor, (frame) => {
            if (frame.type === 'closed') return { kind: 'closed' };
            if (frame.sessionId !== sessionId) return undefined;
            if ('turnId' in frame && frame.turnId === turnId && frame.type !== 'error') started?.();
            if (frame.type === 'done' && frame.turnId === turnId) return { kind: 'done' };
            if (frame.type === 'error' && (frame.turnId === turnId || frame.turnId === undefined)) {
              return { kind: 'error', text: `${frame.code}: ${frame.message}` };
            }
            return undefined;
          }));
        } catch (error) {
          return { ...outcome, error: String(error) };
        }
        if (event.kind === 'done') return { ...outcome, completed: true };
        if (event.kind === 'error') return { ...outcome, error: event.text };

        // The connection dropped mid-answer: move on to the next region that answers, and pick the turn up.
        const droppedAt = Date.now();
        let history: HistoryFrame;
        try {
          await connect(connectedIndex + 1);
          cursor = events.length;
          send({ action: 'resume', sessionId, turnId });
          ({ value: history } = await waitFor<HistoryFrame>(cursor, (frame) =>
            frame.type === 'history' && frame.sessionId === sessionId ? frame : undefined,
          ));
        } catch (error) {
          return { ...outcome, error: String(error) };
        }
        outcome.failovers.push(Date.now() - droppedAt);
        const interrupted = history.interruptedTurn;
        if (interrupted?.turnId === turnId && RESUMABLE_STOP_REASONS.has(interrupted.stopReason)) continue;
        if (answered(history, question)) return { ...outcome, completed: true };
        // This region never saw the turn: ask again, under the same turn id.
        outcome.resent = true;
        ask();
      }
    },

    answerStarted: () =>
      new Promise<void>((resolve) => {
        started = () => {
          started = undefined;
          resolve();
        };
      }),

    history: (sessionId) => historyAfter({ action: 'getHistory', sessionId }, sessionId),
    resume: (sessionId, turnId) => historyAfter({ action: 'resume', sessionId, turnId }, sessionId),

    close() {
      const closing = socket;
      socket = undefined;
      closing?.close();
    },
  };
}

/** The history holds the question with a non-empty answer after it. */
export function answered(history: HistoryFrame, question: string): boolean {
  return history.messages.some(
    (entry, index) =>
      entry.role === 'user' &&
      entry.text === question &&
      history.messages[index + 1]?.role === 'assistant' &&
      (history.messages[index + 1]?.text ?? '') !== '',
  );
}

function open(url: string, timeoutMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('connect timeout'));
    }, timeoutMs);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve(ws);
    });
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
