import type { StatsFrame } from '../../../src/protocol/server-frame.ts';
import type { CreateSocket } from '../chat/use-chat-socket.ts';

export type StatsResult = { ok: true; frame: StatsFrame } | { ok: false; code: string; message: string };

export interface StatsQuery {
  /** ISO 8601. */
  since: string;
  userId?: string;
}

/**
 * One `getStats` request on a connection of its own: open, ask, take the `stats` or `error` frame, close.
 * Never rejects: a dropped or silent connection is a `NETWORK` result.
 */
export function requestStats(
  url: string,
  query: StatsQuery,
  options: { createSocket?: CreateSocket; timeoutMs?: number } = {},
): Promise<StatsResult> {
  const socket = (options.createSocket ?? ((u: string) => new WebSocket(u)))(url);
  return new Promise<StatsResult>((resolve) => {
    let settled = false;
    const finish = (result: StatsResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.onclose = null;
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, code: 'NETWORK', message: 'The server did not answer in time.' }),
      options.timeoutMs ?? 20_000,
    );
    socket.onopen = () => socket.send(JSON.stringify({ action: 'getStats', ...query }));
    socket.onmessage = (event) => {
      const frame = parseFrame(event.data);
      if (frame?.type === 'stats') finish({ ok: true, frame: frame as unknown as StatsFrame });
      else if (frame?.type === 'error')
        finish({ ok: false, code: String(frame.code), message: String(frame.message) });
    };
    socket.onclose = () =>
      finish({ ok: false, code: 'NETWORK', message: 'The connection closed before the statistics came.' });
  });
}

function parseFrame(data: unknown): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(String(data));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
