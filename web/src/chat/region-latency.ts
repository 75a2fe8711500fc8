import type { RegionEndpoint } from './socket-url.ts';
import type { CreateSocket } from './use-chat-socket.ts';

/**
 * How long a WebSocket takes to open to each region (ms), measured with real connections made at once and
 * closed as soon as they open; undefined for one that did not open within `timeoutMs`. Opening is what the
 * chat waits for on every reconnect (TLS, the upgrade, the `$connect` authorizer), so it ranks regions by
 * what users feel, and a region that cannot take connections ranks last.
 */
export async function measureConnectLatency(
  endpoints: readonly RegionEndpoint[],
  options: {
    /** The URL to connect to (with a sign-in token). */
    urlOf: (endpoint: RegionEndpoint) => Promise<string>;
    createSocket: CreateSocket;
    timeoutMs?: number;
    now?: () => number;
  },
): Promise<Map<string, number | undefined>> {
  const now = options.now ?? (() => performance.now());
  const timeoutMs = options.timeoutMs ?? 3_000;
  const results = await Promise.all(
    endpoints.map(async (endpoint) => {
      let url: string;
      try {
        url = await options.urlOf(endpoint);
      } catch {
        return [endpoint.url, undefined] as const;
      }
      const started = now();
      const latency = await new Promise<number | undefined>((resolve) => {
        const socket = options.createSocket(url);
        const timer = setTimeout(() => {
          socket.onclose = null;
          socket.close();
          resolve(undefined);
        }, timeoutMs);
        socket.onopen = () => {
          clearTimeout(timer);
          const elapsed = now() - started;
          socket.onclose = null;
          socket.close(1000);
          resolve(elapsed);
        };
        socket.onclose = () => {
          clearTimeout(timer);
          resolve(undefined);
        };
      });
      return [endpoint.url, latency] as const;
    }),
  );
  return new Map(results);
}

/** Fastest first; regions that did not answer last; ties (and unmeasured regions) in configured order. */
export function rankByLatency(
  endpoints: readonly RegionEndpoint[],
  latencies: ReadonlyMap<string, number | undefined>,
): RegionEndpoint[] {
  const cost = (endpoint: RegionEndpoint) => latencies.get(endpoint.url) ?? Number.POSITIVE_INFINITY;
  return endpoints
    .map((endpoint, position) => ({ endpoint, position }))
    .sort((a, b) => cost(a.endpoint) - cost(b.endpoint) || a.position - b.position)
    .map(({ endpoint }) => endpoint);
}
