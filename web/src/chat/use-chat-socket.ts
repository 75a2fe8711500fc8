import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { ClientFrame } from '../../../src/protocol/client-frame.ts';
import type { ServerFrame } from '../../../src/protocol/server-frame.ts';
import { parseIncomingFrame } from './incoming-frame.ts';
import { DEFAULT_RECONNECT_POLICY, type ReconnectPolicy, reconnectDelay } from './reconnect-delay.ts';
import type { RegionFailover } from './region-failover.ts';

/** The part of the browser's WebSocket the chat uses; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
}

export type CreateSocket = (url: string) => SocketLike;

export type ConnectionState =
  | { status: 'connecting' }
  /** `region` names the region connected to, when the chat runs in several. */
  | { status: 'open'; region?: string }
  /** The connection dropped or could not be made; the next attempt is scheduled. */
  | { status: 'waiting'; attempt: number; retryInMs: number };

export interface ChatSocketOptions {
  /** Builds the URL for each attempt, so a fresh auth token can be added to it. */
  getSocketUrl: () => Promise<string>;
  createSocket?: CreateSocket;
  /** Runs on every (re)connection, before any frame arrives. */
  onOpen: () => void;
  onFrame: (frame: ServerFrame) => void;
  /** API Gateway says a request failed (its Lambda threw or timed out); `message` is its own words. */
  onGatewayError?: (message: string) => void;
  /** Runs when an open connection drops. */
  onDrop?: () => void;
  reconnect?: ReconnectPolicy;
  random?: () => number;
  /**
   * With several regions: told how each connection attempt went, it says whether the next attempt goes to
   * another region at once. `getSocketUrl` builds the URL of its `current()` region.
   */
  regions?: RegionFailover;
  /** A connection that has not opened after this long counts as refused (a dead region may never answer). */
  connectTimeoutMs?: number;
}

export interface ChatSocket {
  connection: ConnectionState;
  /** Sends a frame if the connection is open; false if it is not. */
  send(frame: ClientFrame): boolean;
  /** Skips the wait before the next attempt. */
  reconnectNow(): void;
}

const OPEN = 1;
const NORMAL_CLOSURE = 1000;
const CONNECT_TIMEOUT_MS = 10_000;
const createBrowserSocket: CreateSocket = (url) => new WebSocket(url);

/**
 * The WebSocket lifecycle in one place: connect, parse frames, reconnect with backoff and jitter after a drop
 * (at once when the browser comes back online), close on unmount. The callbacks are effect events, so the
 * connection always calls the latest ones without reconnecting when they change.
 */
export function useChatSocket(options: ChatSocketOptions): ChatSocket {
  const [connection, setConnection] = useState<ConnectionState>({ status: 'connecting' });
  const socketRef = useRef<SocketLike | undefined>(undefined);
  const reconnectNowRef = useRef<() => void>(() => {});

  const getSocketUrl = useEffectEvent(() => options.getSocketUrl());
  const createSocket = useEffectEvent((url: string) => (options.createSocket ?? createBrowserSocket)(url));
  const onOpen = useEffectEvent(() => options.onOpen());
  const onFrame = useEffectEvent((frame: ServerFrame) => options.onFrame(frame));
  const onGatewayError = useEffectEvent((message: string) => options.onGatewayError?.(message));
  const onDrop = useEffectEvent(() => options.onDrop?.());
  const nextDelay = useEffectEvent((attempt: number) =>
    reconnectDelay(attempt, options.reconnect ?? DEFAULT_RECONNECT_POLICY, options.random ?? Math.random),
  );
  const attemptEnded = useEffectEvent((how: 'refused' | 'dropped') => options.regions?.ended(how) ?? 'later');
  const attemptOpened = useEffectEvent(() => {
    options.regions?.opened();
    return options.regions?.current().region;
  });
  const connectTimeoutMs = useEffectEvent(() => options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);

  useEffect(() => {
    let disposed = false;
    let attempt = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;

    const scheduleRetry = (how: 'refused' | 'dropped') => {
      if (disposed) return;
      // Another region is still untried: go there at once, without counting it as a failed round.
      if (attemptEnded(how) === 'now') {
        retryTimer = setTimeout(connect, 0);
        return;
      }
      const retryInMs = nextDelay(attempt);
      attempt += 1;
      setConnection({ status: 'waiting', attempt, retryInMs });
      retryTimer = setTimeout(connect, retryInMs);
    };

    const connect = async () => {
      retryTimer = undefined;
      setConnection({ status: 'connecting' });
      let socket: SocketLike;
      try {
        const url = await getSocketUrl();
        if (disposed) return;
        socket = createSocket(url);
      } catch {
        scheduleRetry('refused'); // no URL (a token could not be fetched) or a malformed one: try again later
        return;
      }
      socketRef.current = socket;
      let opened = false;
      const openTimer = setTimeout(() => socket.close(), connectTimeoutMs());
      socket.onopen = () => {
        clearTimeout(openTimer);
        opened = true;
        attempt = 0;
        const region = attemptOpened();
        setConnection(region === undefined ? { status: 'open' } : { status: 'open', region });
        onOpen();
      };
      socket.onmessage = (event) => {
        const incoming = parseIncomingFrame(event.data);
        if (incoming?.kind === 'frame') onFrame(incoming.frame);
        if (incoming?.kind === 'gatewayError') onGatewayError(incoming.message);
      };
      socket.onclose = () => {
        clearTimeout(openTimer);
        if (socketRef.current !== socket) return;
        socketRef.current = undefined;
        if (opened) onDrop();
        scheduleRetry(opened ? 'dropped' : 'refused');
      };
    };

    reconnectNowRef.current = () => {
      if (disposed || retryTimer === undefined) return; // connected or already connecting
      clearTimeout(retryTimer);
      void connect();
    };
    const onBrowserOnline = () => reconnectNowRef.current();
    window.addEventListener('online', onBrowserOnline);
    void connect();

    return () => {
      disposed = true;
      clearTimeout(retryTimer);
      window.removeEventListener('online', onBrowserOnline);
      const socket = socketRef.current;
      socketRef.current = undefined;
      socket?.close(NORMAL_CLOSURE);
    };
  }, []);

  const send = useCallback((frame: ClientFrame) => {
    const socket = socketRef.current;
    if (socket?.readyState !== OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }, []);
  const reconnectNow = useCallback(() => reconnectNowRef.current(), []);

  return { connection, send, reconnectNow };
}
