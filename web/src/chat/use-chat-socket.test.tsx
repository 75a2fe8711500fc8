import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '../../../src/protocol/server-frame.ts';
import { createFakeSockets, historyFrame } from '../testing/fake-socket.ts';
import { createRegionFailover } from './region-failover.ts';
import { type ChatSocketOptions, useChatSocket } from './use-chat-socket.ts';

const URL = 'ws://chat.test';
const SESSION = '6f1c2a43-5a55-4a4e-9f43-5d1b1f0c7a10';

function renderSocket(overrides: Partial<ChatSocketOptions> = {}) {
  const sockets = createFakeSockets();
  const frames: ServerFrame[] = [];
  const options: ChatSocketOptions = {
    getSocketUrl: async () => URL,
    createSocket: sockets.create,
    onOpen: vi.fn(),
    onFrame: (frame) => frames.push(frame),
    onDrop: vi.fn(),
    reconnect: { baseMs: 1_000, maxMs: 8_000 },
    random: () => 1,
    ...overrides,
  };
  const hook = renderHook((props: ChatSocketOptions) => useChatSocket(props), { initialProps: options });
  return { ...hook, sockets, frames, options };
}

/** Lets the async URL lookup finish. */
const settle = () => act(async () => {});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('useChatSocket', () => {
  it('connects to the URL the async provider returns and reports the connection open', async () => {
    const { result, sockets, options } = renderSocket();
    expect(result.current.connection.status).toBe('connecting');
    await settle();

    act(() => sockets.latest().open());

    expect(sockets.latest().url).toBe(URL);
    expect(result.current.connection.status).toBe('open');
    expect(options.onOpen).toHaveBeenCalledTimes(1);
  });

  it('hands over parsed frames and skips anything that is not a server frame', async () => {
    const { sockets, frames } = renderSocket();
    await settle();
    act(() => sockets.latest().open());

    act(() => {
      sockets.latest().receiveRaw('not json');
      sockets.latest().receiveRaw(JSON.stringify({ type: 'surprise' }));
      sockets.latest().receive(historyFrame(SESSION, []));
    });

    expect(frames.map((frame) => frame.type)).toEqual(['history']);
  });

  it('reports API Gateway failure frames apart from server frames', async () => {
    const onGatewayError = vi.fn();
    const { sockets, frames } = renderSocket({ onGatewayError });
    await settle();
    act(() => sockets.latest().open());

    act(() =>
      sockets
        .latest()
        .receiveRaw('{"message":"Internal server error","connectionId":"abc=","requestId":"def="}'),
    );

    expect(onGatewayError).toHaveBeenCalledWith('Internal server error');
    expect(frames).toEqual([]);
  });

  it('sends frames only while the connection is open', async () => {
    const { result, sockets } = renderSocket();
    await settle();
    const frame = { action: 'getHistory', sessionId: SESSION } as const;

    expect(result.current.send(frame)).toBe(false);
    act(() => sockets.latest().open());
    expect(result.current.send(frame)).toBe(true);
    expect(sockets.latest().sent).toEqual([frame]);
  });

  it('reconnects after a drop, waiting longer after each failed attempt', async () => {
    const { result, sockets, options } = renderSocket();
    await settle();
    act(() => sockets.latest().open());

    act(() => sockets.latest().drop());
    expect(options.onDrop).toHaveBeenCalledTimes(1);
    expect(result.current.connection).toEqual({ status: 'waiting', attempt: 1, retryInMs: 1_000 });

    await act(() => vi.advanceTimersByTimeAsync(1_000));
    expect(sockets.all).toHaveLength(2);
    act(() => sockets.latest().drop()); // the server is still down: never opened
    expect(result.current.connection).toEqual({ status: 'waiting', attempt: 2, retryInMs: 2_000 });
    expect(options.onDrop).toHaveBeenCalledTimes(1);

    await act(() => vi.advanceTimersByTimeAsync(1_999));
    expect(sockets.all).toHaveLength(2);
    await act(() => vi.advanceTimersByTimeAsync(1));
    act(() => sockets.latest().open());

    expect(result.current.connection.status).toBe('open');
    expect(options.onOpen).toHaveBeenCalledTimes(2);
  });

  it('starts the backoff over once a connection succeeds', async () => {
    const { result, sockets } = renderSocket();
    await settle();
    act(() => sockets.latest().drop());
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    act(() => sockets.latest().open());

    act(() => sockets.latest().drop());

    expect(result.current.connection).toEqual({ status: 'waiting', attempt: 1, retryInMs: 1_000 });
  });

  it('jitters the wait with the random source', async () => {
    const { result, sockets } = renderSocket({ random: () => 0 });
    await settle();

    act(() => sockets.latest().drop());

    expect(result.current.connection).toMatchObject({ status: 'waiting', retryInMs: 500 });
  });

  it('retries at once on request and when the browser comes back online', async () => {
    const { result, sockets } = renderSocket();
    await settle();
    act(() => sockets.latest().drop());

    act(() => result.current.reconnectNow());
    await settle();
    expect(sockets.all).toHaveLength(2);

    act(() => sockets.latest().drop());
    act(() => {
      window.dispatchEvent(new Event('online'));
    });
    await settle();
    expect(sockets.all).toHaveLength(3);
  });

  it('asks for the URL again on every attempt, and retries when it cannot get one', async () => {
    const getSocketUrl = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error('token service down'))
      .mockResolvedValue(`${URL}?token=fresh`);
    const { result, sockets } = renderSocket({ getSocketUrl });
    await settle();
    expect(result.current.connection.status).toBe('waiting');
    expect(sockets.all).toHaveLength(0);

    await act(() => vi.advanceTimersByTimeAsync(1_000));

    expect(sockets.latest().url).toBe(`${URL}?token=fresh`);
  });

  it('calls the latest callbacks, not the ones of the first render', async () => {
    const { sockets, rerender, options } = renderSocket();
    await settle();
    const latest = vi.fn();
    rerender({ ...options, onFrame: latest });

    act(() => sockets.latest().open());
    act(() => sockets.latest().receive(historyFrame(SESSION, [])));

    expect(latest).toHaveBeenCalledTimes(1);
    expect(sockets.all).toHaveLength(1);
  });

  it('closes the socket on unmount and never reconnects afterwards', async () => {
    const { sockets, unmount } = renderSocket();
    await settle();
    act(() => sockets.latest().open());

    unmount();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(sockets.latest().closedByClient).toBe(true);
    expect(sockets.all).toHaveLength(1);
  });

  it('opens no socket when unmounted while the URL was still being looked up', async () => {
    const { sockets, unmount } = renderSocket();

    unmount();
    await settle();

    expect(sockets.all).toHaveLength(0);
  });
});

describe('useChatSocket with several regions', () => {
  const east = { region: 'us-east-1', url: 'wss://east.test/prod' };
  const west = { region: 'eu-west-1', url: 'wss://west.test/prod' };
  const renderRegions = () => {
    const regions = createRegionFailover([east, west]);
    const rendered = renderSocket({
      regions,
      connectTimeoutMs: 5_000,
      getSocketUrl: async () => regions.current().url,
    });
    return { ...rendered, regions };
  };

  it('moves to the next region at once when its region drops and refuses to reconnect', async () => {
    const { result, sockets, options } = renderRegions();
    await settle();
    act(() => sockets.latest().open());
    expect(result.current.connection).toEqual({ status: 'open', region: 'us-east-1' });

    act(() => sockets.latest().drop()); // the region goes away mid-conversation
    await act(() => vi.advanceTimersByTimeAsync(1_000)); // one retry there, after the usual backoff
    expect(sockets.latest().url).toBe(east.url);
    act(() => sockets.latest().drop()); // refused: the region is down

    await act(() => vi.advanceTimersByTimeAsync(1));
    await settle();
    expect(sockets.latest().url).toBe(west.url);
    act(() => sockets.latest().open());

    expect(result.current.connection).toEqual({ status: 'open', region: 'eu-west-1' });
    // The chat asks for its history (or resumes its answer) on the new region's connection.
    expect(options.onOpen).toHaveBeenCalledTimes(2);
  });

  it('gives up on a region whose connection does not open in time, and tries the next one', async () => {
    const { sockets } = renderRegions();
    await settle();
    expect(sockets.latest().url).toBe(east.url);

    await act(() => vi.advanceTimersByTimeAsync(4_999));
    expect(sockets.all).toHaveLength(1);
    // Timers of 0 ms run after 1 ms, as in Node.
    await act(() => vi.advanceTimersByTimeAsync(2));
    await settle();

    expect(sockets.all.map((socket) => [socket.url, socket.closedByClient])).toEqual([
      [east.url, true],
      [west.url, false],
    ]);
  });

  it('backs off once every region has refused, then starts again from the nearest', async () => {
    const { result, sockets } = renderRegions();
    await settle();
    act(() => sockets.latest().drop());
    await act(() => vi.advanceTimersByTimeAsync(1));
    await settle();
    expect(sockets.latest().url).toBe(west.url);

    act(() => sockets.latest().drop());

    expect(result.current.connection).toEqual({ status: 'waiting', attempt: 1, retryInMs: 1_000 });
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    expect(sockets.latest().url).toBe(east.url);
  });
});
