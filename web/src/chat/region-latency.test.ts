import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeSockets } from '../testing/fake-socket.ts';
import { measureConnectLatency, rankByLatency } from './region-latency.ts';

const east = { region: 'us-east-1', url: 'wss://east.test/prod' };
const west = { region: 'eu-west-1', url: 'wss://west.test/prod' };
const south = { region: 'ap-south-1', url: 'wss://south.test/prod' };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('measureConnectLatency', () => {
  it('times each region until its socket opens, closes it, and gives up on one that never opens', async () => {
    const sockets = createFakeSockets();
    let clock = 0;
    const measuring = measureConnectLatency([east, west, south], {
      urlOf: async (endpoint) => `${endpoint.url}?token=t`,
      createSocket: sockets.create,
      timeoutMs: 3_000,
      now: () => clock,
    });
    await vi.advanceTimersByTimeAsync(0);
    const [toEast, toWest, toSouth] = sockets.all;
    expect(toEast?.url).toBe('wss://east.test/prod?token=t');

    clock = 40;
    toWest?.open();
    clock = 120;
    toEast?.open();
    toSouth?.drop();
    const latencies = await measuring;

    expect(latencies).toEqual(
      new Map([
        [east.url, 120],
        [west.url, 40],
        [south.url, undefined],
      ]),
    );
    expect(toEast?.closedByClient && toWest?.closedByClient).toBe(true);
  });

  it('counts a region whose socket neither opens nor fails within the timeout as unreachable', async () => {
    const sockets = createFakeSockets();
    const measuring = measureConnectLatency([east], {
      urlOf: async (endpoint) => endpoint.url,
      createSocket: sockets.create,
      timeoutMs: 3_000,
    });
    await vi.advanceTimersByTimeAsync(3_000);

    expect(await measuring).toEqual(new Map([[east.url, undefined]]));
    expect(sockets.latest().closedByClient).toBe(true);
  });
});

describe('rankByLatency', () => {
  it('puts the fastest region first and the ones that did not answer last, in configured order', () => {
    const ranked = rankByLatency(
      [east, west, south],
      new Map([
        [east.url, undefined],
        [west.url, 80],
        [south.url, 30],
      ]),
    );
    expect(ranked).toEqual([south, west, east]);
    expect(rankByLatency([east, west], new Map())).toEqual([east, west]);
  });
});
